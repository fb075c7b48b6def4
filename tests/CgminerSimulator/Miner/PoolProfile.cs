namespace Psistats.CgminerSimulator.Miner;

/// <summary>A configured pool: pool 0 is used while alive, pool 1 is its failover.</summary>
/// <param name="Url">cgminer's <c>URL</c> (the configured URL).</param>
/// <param name="StratumHost">The host the stratum connection reaches (<c>Stratum URL</c>).</param>
/// <param name="User">The worker (<c>User</c>).</param>
internal sealed record PoolProfile(string Url, string StratumHost, string User)
{
    /// <summary>The two pools of a miner named <paramref name="name"/> (reserved example.net hosts: nothing is contacted).</summary>
    public static IReadOnlyList<PoolProfile> For(string name) =>
    [
        new("stratum+tcp://stratum.example.net:3333", "stratum.example.net", $"psistats.{name}"),
        new("stratum+tcp://backup.example.net:3333", "backup.example.net", $"psistats.{name}"),
    ];
}
