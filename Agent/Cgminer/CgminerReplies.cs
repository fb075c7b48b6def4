using System.Text.Json;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// Typed results of the report commands (api.c: <c>ascount()</c>, <c>ascstatus()</c>, <c>minecoin()</c>,
/// <c>poolstatus()</c>, <c>summary()</c>, <c>minerstats()</c>, <c>devstatus()</c>), under cgminer's names. Known keys are
/// typed (a value not of its type is left out), every other key kept as the miner sent it.
/// </summary>
public static class CgminerReplies
{
    /// <summary><c>asccount</c>: <c>ASCS[0].Count</c>, or null when absent or negative.</summary>
    public static int? AscCount(CgminerReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Section("ASCS") is [var first, ..] && new CgminerEntry(first).Int("Count") is { } count and >= 0 ? count : null;
    }

    /// <summary><c>asc N</c>: <c>ASC[0]</c>; null when the reply has none.</summary>
    public static CgminerDevice? Asc(CgminerReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Section("ASC") is [var first, ..] ? Device(first) : null;
    }

    /// <summary><c>devs</c>: every <c>DEVS[]</c> entry.</summary>
    public static IReadOnlyList<CgminerDevice> Devs(CgminerReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Section("DEVS").Select(Device).ToList();
    }

    /// <summary><c>summary</c>: <c>SUMMARY[0]</c>; null when the reply has none.</summary>
    public static CgminerSummary? Summary(CgminerReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Section("SUMMARY") is not [var first, ..])
        {
            return null;
        }

        var e = new CgminerEntry(first);
        return new CgminerSummary
        {
            Elapsed = e.Long("Elapsed"),
            MhsAv = e.Double("MHS av"),
            Mhs5s = e.Double("MHS 5s"),
            Mhs1m = e.Double("MHS 1m"),
            Mhs5m = e.Double("MHS 5m"),
            Mhs15m = e.Double("MHS 15m"),
            FoundBlocks = e.Long("Found Blocks"),
            Getworks = e.Long("Getworks"),
            Accepted = e.Long("Accepted"),
            Rejected = e.Long("Rejected"),
            HardwareErrors = e.Long("Hardware Errors"),
            Utility = e.Double("Utility"),
            Discarded = e.Long("Discarded"),
            Stale = e.Long("Stale"),
            GetFailures = e.Long("Get Failures"),
            RemoteFailures = e.Long("Remote Failures"),
            TotalMh = e.Double("Total MH"),
            WorkUtility = e.Double("Work Utility"),
            DifficultyAccepted = e.Double("Difficulty Accepted"),
            DifficultyRejected = e.Double("Difficulty Rejected"),
            DifficultyStale = e.Double("Difficulty Stale"),
            BestShare = e.Long("Best Share"),
            DeviceHardwarePercent = e.Double("Device Hardware%"),
            DeviceRejectedPercent = e.Double("Device Rejected%"),
            PoolRejectedPercent = e.Double("Pool Rejected%"),
            PoolStalePercent = e.Double("Pool Stale%"),
            Other = e.Rest(),
        };
    }

    /// <summary><c>pools</c>: every <c>POOLS[]</c> entry.</summary>
    public static IReadOnlyList<CgminerPool> Pools(CgminerReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.Section("POOLS").Select(entry =>
        {
            var e = new CgminerEntry(entry);
            return new CgminerPool
            {
                Pool = e.Int("POOL"),
                Url = e.String("URL"),
                Status = e.String("Status"),
                Priority = e.Int("Priority"),
                Quota = e.Int("Quota"),
                Getworks = e.Long("Getworks"),
                Accepted = e.Long("Accepted"),
                Rejected = e.Long("Rejected"),
                Works = e.Long("Works"),
                Discarded = e.Long("Discarded"),
                Stale = e.Long("Stale"),
                GetFailures = e.Long("Get Failures"),
                RemoteFailures = e.Long("Remote Failures"),
                User = e.String("User"),
                LastShareTime = e.Long("Last Share Time"),
                DifficultyAccepted = e.Double("Difficulty Accepted"),
                DifficultyRejected = e.Double("Difficulty Rejected"),
                DifficultyStale = e.Double("Difficulty Stale"),
                StratumActive = e.Bool("Stratum Active"),
                StratumUrl = e.String("Stratum URL"),
                BestShare = e.Long("Best Share"),
                PoolRejectedPercent = e.Double("Pool Rejected%"),
                PoolStalePercent = e.Double("Pool Stale%"),
                Other = e.Rest(),
            };
        }).ToList();
    }

    /// <summary><c>coin</c>: <c>COIN[0]</c>; null when the reply has none.</summary>
    public static CgminerCoin? Coin(CgminerReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Section("COIN") is not [var first, ..])
        {
            return null;
        }

        var e = new CgminerEntry(first);
        return new CgminerCoin
        {
            HashMethod = e.String("Hash Method"),
            CurrentBlockTime = e.Double("Current Block Time"),
            CurrentBlockHash = e.String("Current Block Hash"),
            Lp = e.Bool("LP"),
            NetworkDifficulty = e.Double("Network Difficulty"),
            Other = e.Rest(),
        };
    }

    /// <summary><c>stats</c>: the Cointerra boards, decoded, and every other <c>STATS[]</c> entry with its keys as sent.</summary>
    public static (IReadOnlyList<CointerraBoard> Boards, IReadOnlyList<CgminerStats> Others) Stats(CgminerReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var boards = new List<CointerraBoard>();
        var others = new List<CgminerStats>();
        foreach (var entry in reply.Section("STATS"))
        {
            if (CointerraBoards.IsBoard(entry))
            {
                boards.Add(CointerraBoards.Decode(entry));
            }
            else
            {
                var e = new CgminerEntry(entry);
                others.Add(new CgminerStats { Stats = e.Int("STATS"), Id = e.String("ID"), Other = e.Rest() });
            }
        }

        return (boards, others);
    }

    private static CgminerDevice Device(JsonElement entry)
    {
        var e = new CgminerEntry(entry);
        return new CgminerDevice
        {
            Asc = e.Int("ASC"),
            Name = e.String("Name"),
            Id = e.Int("ID"),
            Enabled = e.String("Enabled"),
            Status = e.String("Status"),
            Temperature = e.Double("Temperature"),
            MhsAv = e.Double("MHS av"),
            Mhs5s = e.Double("MHS 5s"),
            Mhs1m = e.Double("MHS 1m"),
            Mhs5m = e.Double("MHS 5m"),
            Mhs15m = e.Double("MHS 15m"),
            Accepted = e.Long("Accepted"),
            Rejected = e.Long("Rejected"),
            HardwareErrors = e.Long("Hardware Errors"),
            Utility = e.Double("Utility"),
            LastSharePool = e.Long("Last Share Pool"),
            LastShareTime = e.Long("Last Share Time"),
            TotalMh = e.Double("Total MH"),
            Diff1Work = e.Double("Diff1 Work"),
            DifficultyAccepted = e.Double("Difficulty Accepted"),
            DifficultyRejected = e.Double("Difficulty Rejected"),
            NoDevice = e.Bool("No Device"),
            LastValidWork = e.Long("Last Valid Work"),
            DeviceHardwarePercent = e.Double("Device Hardware%"),
            DeviceRejectedPercent = e.Double("Device Rejected%"),
            DeviceElapsed = e.Long("Device Elapsed"),
            Other = e.Rest(),
        };
    }
}
