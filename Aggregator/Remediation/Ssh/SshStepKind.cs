using System.Text.Json.Serialization;

namespace Psistats.Aggregator.Remediation.Ssh;

/// <summary>Which OpenSSH program a step ran.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SshStepKind>))]
public enum SshStepKind
{
    /// <summary><c>run</c>: a remote command through <c>ssh</c>.</summary>
    [JsonStringEnumMemberName("run")]
    Run,

    /// <summary><c>copy</c>: a remote file fetched with <c>scp</c> (SFTP protocol, the default since OpenSSH 9.0).</summary>
    [JsonStringEnumMemberName("copy")]
    Copy,
}
