namespace Psistats.Aggregator.Remediation.Ssh;

/// <summary>
/// Where and how OpenSSH reaches one miner: built from its <c>[miner:NAME]</c> section (host, port, user,
/// identity_file, known_hosts_file, accept_new_host_key), never from frame contents. Keys only: the client runs with
/// <c>BatchMode=yes</c>, so a password or passphrase prompt fails as <see cref="SshFailure.AuthFailed"/> instead of waiting.
/// </summary>
/// <param name="Host">Host name or address (an IPv6 address without brackets); must not start with <c>-</c> nor hold blanks.</param>
/// <param name="Port">TCP port, 1..65535 (ssh <c>-p</c>, scp <c>-P</c>).</param>
/// <param name="User">Login name; must not start with <c>-</c> nor hold blanks or <c>@</c>.</param>
/// <param name="IdentityFile">Private key file (ssh <c>-i</c>, with <c>IdentitiesOnly=yes</c>); ssh ignores a key readable by others.</param>
/// <param name="KnownHostsFile">The only known_hosts file consulted (<c>UserKnownHostsFile</c>; the global one is off).</param>
public sealed record SshTarget(string Host, int Port, string User, string IdentityFile, string KnownHostsFile)
{
    /// <summary>
    /// Trust on first use, only when asked (<c>accept_new_host_key</c>): true = <c>StrictHostKeyChecking=accept-new</c> (an unknown
    /// host key is added to <see cref="KnownHostsFile"/>; a changed one is still refused); false (default) =
    /// <c>StrictHostKeyChecking=yes</c> (an unknown key is <see cref="SshFailure.UnknownHostKey"/>).
    /// </summary>
    public bool AcceptNewHostKey { get; init; }

    /// <summary>TCP connect and banner timeout (ssh <c>ConnectTimeout</c>, whole seconds, rounded up, at least 1), default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>user@host:port</c>, for logs.</summary>
    public override string ToString() => $"{User}@{Host}:{Port}";
}
