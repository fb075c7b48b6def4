using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Psistats.LoadGen;

/// <summary>
/// Times the aggregator through its <c>GET /healthz</c> <c>frames_accepted</c>, polled every 100 ms over one kept-alive
/// connection: from the moment it passes <c>skip</c> to the moment it passes <c>skip + count</c>, each moment
/// interpolated linearly between the two polls around it (so the error is well under one poll period).
/// </summary>
internal static class HealthWatch
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs the command; prints <c>aggregator frames=M seconds=S frames_per_s=R</c> and the CPU of the <paramref name="cpu"/>
    /// processes between the polls around the window (per frame accepted between them); writes every poll to <paramref name="samplesPath"/>.
    /// </summary>
    /// <exception cref="TimeoutException">frames_accepted did not move for <paramref name="idle"/>.</exception>
    public static async Task RunAsync(Uri healthz, long skip, long count, TimeSpan idle, string? samplesPath, CpuMeter cpu,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var samples = samplesPath is null ? null : new StreamWriter(samplesPath);
        var clock = Stopwatch.StartNew();
        var lastChange = TimeSpan.Zero;
        (TimeSpan At, long Accepted)? previous = null;
        TimeSpan? started = null;
        (TimeSpan[] Cpu, long Accepted) cpuStart = ([], 0);
        while (true)
        {
            var accepted = await AcceptedAsync(http, healthz, cancellationToken).ConfigureAwait(false);
            var at = clock.Elapsed;
            var cpuNow = cpu.Snapshot();
            if (accepted is { } n)
            {
                samples?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds:F3} {n}"));
                if (previous is not { } before)
                {
                    if (n >= skip)
                    {
                        throw new InvalidOperationException($"frames_accepted was already {n} at the first poll: too late to time from {skip}");
                    }
                }
                else
                {
                    if (n != before.Accepted)
                    {
                        lastChange = at;
                    }

                    if (started is null && n >= skip)
                    {
                        started = Crossing(before, (at, n), skip);
                        cpuStart = (cpuNow, n);
                    }

                    if (started is { } start && n >= skip + count)
                    {
                        var seconds = (Crossing(before, (at, n), skip + count) - start).TotalSeconds;
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"aggregator skipped={skip} frames={count} seconds={seconds:F3} frames_per_s={count / seconds:F0}")
                            + cpu.Report(cpuStart.Cpu, cpuNow, n - cpuStart.Accepted));
                        return;
                    }
                }

                previous = (at, n);
            }

            if (at - lastChange > idle)
            {
                throw new TimeoutException($"frames_accepted of {healthz} did not move for {idle.TotalSeconds} s (last: {previous?.Accepted.ToString(CultureInfo.InvariantCulture) ?? "no answer"})");
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>When frames_accepted reached <paramref name="target"/>, between two polls (linear).</summary>
    private static TimeSpan Crossing((TimeSpan At, long Accepted) before, (TimeSpan At, long Accepted) after, long target)
    {
        if (after.Accepted == before.Accepted)
        {
            return after.At;
        }

        var fraction = Math.Clamp((double)(target - before.Accepted) / (after.Accepted - before.Accepted), 0, 1);
        return before.At + ((after.At - before.At) * fraction);
    }

    private static async Task<long?> AcceptedAsync(HttpClient http, Uri healthz, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(healthz, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            return body.TryGetProperty("frames_accepted", out var accepted) && accepted.TryGetInt64(out var n) ? n : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
