using System.Globalization;
using System.Text.Json;
using Psistats.Agent.Reporters;
using Psistats.Contracts.Frames;

namespace Psistats.Agent.Cgminer;

/// <summary>
/// Proxy mode: one poll of one miner (<c>[cgminer:NAME]</c>) makes one <c>cgminer</c> frame. The commands run one after
/// another, one connection each, in the original monitor's order: <c>asccount</c>, <c>asc 0</c>..<c>asc N-1</c>,
/// <c>coin</c>, <c>pools</c>, <c>summary</c>, <c>stats</c>, <c>devs</c> (those configured). When the miner cannot be
/// talked to (refused, unreachable, timeout, reset, closed) the rest of the poll is skipped: one dead miner costs at
/// most one command's bound (twice <c>timeout</c>) per poll. A bad reply or a STATUS E/F is recorded and the poll goes
/// on. Any failure makes the frame <c>api_ok: false</c> with the first <c>error</c>, and the reading
/// <see cref="ReadingStatus.Failed"/>: the frame is published all the same, so the aggregator sees the miner answer
/// or not (the original monitor counted a socket error as an error).
/// </summary>
public sealed class CgminerReporter : IAsyncReporter
{
    /// <summary>Most <c>asc N</c> commands one poll sends, whatever <c>asccount</c> says.</summary>
    public const int MaxAsc = 64;

    private readonly CgminerOptions _options;
    private readonly CgminerClient _client;

    /// <summary>A poller of the miner <paramref name="options"/> describes; timeouts run on <paramref name="time"/>.</summary>
    public CgminerReporter(CgminerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _client = new CgminerClient(options.Host, options.Port, options.Timeout, time);
    }

    /// <inheritdoc />
    public string Name => CgminerFrame.Name;

    /// <inheritdoc />
    public async ValueTask<ReporterReading> ReadAsync(CancellationToken cancellationToken)
    {
        var poll = new Poll(_client, cancellationToken);
        var commands = _options.Commands;
        int? ascCount = null;
        List<CgminerDevice>? asc = null;
        if ((commands.Contains("asccount") || commands.Contains("asc")) && await poll.RunAsync("asccount").ConfigureAwait(false) is { } count)
        {
            ascCount = CgminerReplies.AscCount(count);
        }

        if (commands.Contains("asc") && ascCount is { } n)
        {
            asc = [];
            for (var i = 0; i < Math.Min(n, MaxAsc) && !poll.Unreachable; i++)
            {
                if (await poll.RunAsync("asc", i.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false) is { } reply
                    && CgminerReplies.Asc(reply) is { } device)
                {
                    asc.Add(device);
                }
            }
        }

        var coin = commands.Contains("coin") ? await poll.RunAsync("coin").ConfigureAwait(false) : null;
        var pools = commands.Contains("pools") ? await poll.RunAsync("pools").ConfigureAwait(false) : null;
        var summary = commands.Contains("summary") ? await poll.RunAsync("summary").ConfigureAwait(false) : null;
        var stats = commands.Contains("stats") ? await poll.RunAsync("stats").ConfigureAwait(false) : null;
        var devs = commands.Contains("devs") ? await poll.RunAsync("devs").ConfigureAwait(false) : null;
        var (boards, otherStats) = stats is null ? (null, null) : CgminerReplies.Stats(stats);

        var frame = new CgminerFrame
        {
            ApiOk = poll.Error is null,
            Error = poll.Error,
            ApiEndpoint = _options.Endpoint,
            ApiDescription = poll.LastStatus?.Description,
            ApiWhen = poll.LastStatus?.When,
            AscCount = ascCount,
            Asc = asc,
            Coin = coin is null ? null : CgminerReplies.Coin(coin),
            Pools = pools is null ? null : CgminerReplies.Pools(pools),
            Summary = summary is null ? null : CgminerReplies.Summary(summary),
            Boards = boards,
            Stats = otherStats,
            Devs = devs is null ? null : CgminerReplies.Devs(devs),
        };
        return poll.Error is { } error
            ? ReporterReading.Failed($"{_options.Endpoint}: {Describe(error)}", frame)
            : ReporterReading.Ok(frame);
    }

    /// <summary>"asc 1: status_error: Invalid ASC id 1 - range is 0 - 0 (code 107)", for logs.</summary>
    public static string Describe(CgminerApiError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var command = error.Parameter is null ? error.Command : $"{error.Command} {error.Parameter}";
        var code = error.Code is { } c ? $" (code {c.ToString(CultureInfo.InvariantCulture)})" : "";
        return $"{command}: {JsonNamingPolicy.SnakeCaseLower.ConvertName(error.Kind.ToString())}: {error.Message}{code}";
    }

    /// <summary>The state of one poll: the first error, the last good status, and whether the miner answers at all.</summary>
    private sealed class Poll(CgminerClient client, CancellationToken cancellationToken)
    {
        public CgminerApiError? Error { get; private set; }

        public CgminerStatus? LastStatus { get; private set; }

        public bool Unreachable { get; private set; }

        /// <summary>Runs a command unless the miner already proved unreachable; the reply, or null on failure.</summary>
        public async Task<CgminerReply?> RunAsync(string command, string? parameter = null)
        {
            if (Unreachable)
            {
                return null;
            }

            var result = await client.RunAsync(command, parameter, cancellationToken).ConfigureAwait(false);
            if (result.Reply is { } reply)
            {
                LastStatus = reply.Status;
                return reply;
            }

            Error ??= result.Error;
            Unreachable = result.IsUnreachable;
            return null;
        }
    }
}
