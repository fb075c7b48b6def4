namespace Psistats.Agent.Reporters.Net;

/// <summary>The keys of <c>[net]</c> beyond <c>enabled</c> and <c>interval</c>.</summary>
/// <param name="Ignore"><c>ignore</c> (default <c>lo</c>): interface name patterns not reported.</param>
public sealed record NetSettings(NamePatterns Ignore)
{
    /// <summary>Default of <c>ignore</c>: the loopback interface.</summary>
    public const string DefaultIgnore = "lo";

    /// <summary>The defaults.</summary>
    public static readonly NetSettings Default = new(new NamePatterns([DefaultIgnore]));
}
