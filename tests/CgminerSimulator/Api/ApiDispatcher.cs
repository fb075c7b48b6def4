using Psistats.CgminerSimulator.Faults;
using Psistats.CgminerSimulator.Miner;

namespace Psistats.CgminerSimulator.Api;

/// <summary>What the server does once a reply is sent: nothing, restart cgminer (<c>restart</c>) or stop it (<c>quit</c>).</summary>
internal enum ApiAfter
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>cgminer restarts: counters from zero.</summary>
    Restart,

    /// <summary>cgminer exits: the API port closes until the miner is rebooted.</summary>
    Quit,
}

/// <summary>A complete reply (ending with its NUL), what to do after sending it, and a one-line description for the log.</summary>
internal sealed record ApiReply(byte[] Bytes, ApiAfter After, string Description);

/// <summary>
/// Answers one request as cgminer 4.3.5's api.c does: looks the command up, refuses privileged commands
/// (Access denied, code 45) unless privileged access is allowed, runs it against one reading of the miner,
/// and frames the reply. A command holding <c>+</c> is a join (API 3.1+): each part's result goes under its
/// name, parameters are ignored, duplicates are skipped, and commands that cannot be joined (asc, check,
/// privileged ones) get Access denied inside the join.
/// </summary>
internal sealed class ApiDispatcher(TerraMiner miner, TimeProvider time, bool allowPrivileged)
{
    /// <summary>The <c>Description</c> of every STATUS.</summary>
    public const string Description = "cgminer " + TerraMiner.CgminerVersion;

    private sealed class CommandContext(Lazy<MinerReading> reading, string? parameter, bool allowPrivileged)
    {
        public MinerReading Reading => reading.Value;

        public string? Parameter => parameter;

        public bool AllowPrivileged => allowPrivileged;
    }

    /// <summary>A command of api.c's cmds[] table: <paramref name="Privileged"/> is its iswritemode, <paramref name="Joinable"/> its joinable.</summary>
    private sealed record Command(string Name, bool Privileged, bool Joinable, Func<CommandContext, ApiResult> Run);

    private static readonly IReadOnlyList<Command> Commands =
    [
        new("version", false, true, _ => MinerReplies.Version()),
        new("config", false, true, c => MinerReplies.Config(c.Reading)),
        new("devs", false, true, c => MinerReplies.Devs(c.Reading)),
        new("edevs", false, true, c => MinerReplies.Devs(c.Reading)),
        new("pools", false, true, c => MinerReplies.Pools(c.Reading)),
        new("summary", false, true, c => MinerReplies.Summary(c.Reading)),
        new("pgacount", false, true, _ => MinerReplies.PgaCount()),
        new("quit", true, false, _ => ApiResult.Action("BYE")),
        new("privileged", true, false, _ => ApiResult.Only(ApiStatus.PrivilegedOk)),
        new("devdetails", false, true, c => MinerReplies.DevDetails(c.Reading)),
        new("restart", true, false, _ => ApiResult.Action("RESTART")),
        new("stats", false, true, c => MinerReplies.Stats(c.Reading, withPools: true)),
        new("estats", false, true, c => MinerReplies.Stats(c.Reading, withPools: false)),
        new("check", false, false, c => Check(c.Parameter, c.AllowPrivileged)),
        new("coin", false, true, c => MinerReplies.Coin(c.Reading)),
        new("asc", false, false, c => MinerReplies.Asc(c.Reading, c.Parameter)),
        new("asccount", false, true, c => MinerReplies.AscCount(c.Reading)),
    ];

    /// <summary>Answers <paramref name="request"/> (the bytes of one read) with <paramref name="faults"/> applied to the miner; <paramref name="braceQuirk"/> joins STATS objects with <c>}{</c>.</summary>
    public ApiReply Handle(ReadOnlySpan<byte> request, FaultSnapshot faults, bool braceQuirk)
    {
        var parsed = ApiRequest.Parse(request);
        var when = time.GetUtcNow().ToUnixTimeSeconds();
        var reading = new Lazy<MinerReading>(() => miner.Read(faults));
        var after = ApiAfter.None;
        List<ReplyPart> parts;
        if (parsed.Error is { } error)
        {
            parts = [new ReplyPart(null, ApiResult.Only(error))];
        }
        else if (parsed.Command!.Contains('+', StringComparison.Ordinal))
        {
            parts = Join(parsed.Command, reading);
        }
        else
        {
            var command = Find(parsed.Command);
            var result = command is null ? ApiResult.Only(ApiStatus.InvalidCommand)
                : command.Privileged && !allowPrivileged ? ApiResult.Only(ApiStatus.AccessDenied(command.Name))
                : command.Run(new CommandContext(reading, parsed.Parameter, allowPrivileged));
            after = result.Word switch
            {
                "BYE" => ApiAfter.Quit,
                "RESTART" => ApiAfter.Restart,
                _ => ApiAfter.None,
            };
            parts = [new ReplyPart(null, result)];
        }

        var bytes = parsed.IsJson ? ApiReplyWriter.Json(parts, when, Description, braceQuirk) : ApiReplyWriter.Text(parts, when, Description);
        var outcome = string.Join(" ", parts.Select(p => p.Result.Status is { } s ? $"{p.Joined}{(p.Joined is null ? "" : ":")}{s.Severity}{s.Code}" : p.Result.Word));
        return new ApiReply(bytes, after, outcome);
    }

    private static Command? Find(string name) => Commands.FirstOrDefault(c => c.Name == name);

    private List<ReplyPart> Join(string commands, Lazy<MinerReading> reading)
    {
        var parts = new List<ReplyPart>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in commands.Split('+').Where(n => n.Length > 0))
        {
            if (Find(name) is not { } command)
            {
                parts.Add(new ReplyPart(name, ApiResult.Only(ApiStatus.InvalidCommand)));
            }
            else if (done.Add(name))
            {
                var result = !command.Joinable || (command.Privileged && !allowPrivileged)
                    ? ApiResult.Only(ApiStatus.AccessDenied(name))
                    : command.Run(new CommandContext(reading, null, allowPrivileged));
                parts.Add(new ReplyPart(name, result));
            }
        }

        return parts;
    }

    private static ApiResult Check(string? name, bool allowPrivileged)
    {
        if (string.IsNullOrEmpty(name))
        {
            return ApiResult.Only(ApiStatus.MissingCheck);
        }

        var command = Find(name);
        var access = command is not null && (!command.Privileged || allowPrivileged);
        return ApiResult.Single(ApiStatus.Check, "CHECK", new ApiRecord().String("Exists", command is null ? "N" : "Y").String("Access", access ? "Y" : "N"));
    }
}
