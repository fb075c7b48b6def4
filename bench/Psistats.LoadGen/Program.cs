using Psistats.Bench;
using Psistats.LoadGen;

const string Usage = """
    Usage: psistats-loadgen COMMAND [--option value ...]     (bench/aggregator-load.sh runs it; docs/benchmarks.md)

      rules                                    print the benchmark's [rule:NAME] sections: thresholds that switch on the 13
                                               Diskmonitor built-ins, and 100 user rules [rule:user1]..[rule:user100]
      declare --config INI --queue NAME        declare NAME as a twin of the aggregator's queue, bound to <prefix>.#
      delete  --config INI --queue NAME        delete NAME and NAME.rejected
      publish --config INI [--hosts 10000] [--frames 200000]
                                               publish one frame of every reporter of every host (host00001..), then
                                               FRAMES frames in the fleet's sending order; with publisher confirms
      bare    --config INI --queue NAME --skip W --count M [--ack-batch 1] [--idle 60] [--cpu bare=self,NAME=PID...]
                                               consume NAME with manual acks and the aggregator's prefetch, acking only
                                               (one by one, or one basic.ack multiple per --ack-batch deliveries);
                                               time the M frames after the first W
      watch   --healthz URL --skip W --count M [--idle 120] [--samples FILE] [--cpu NAME=PID,...]
                                               time the aggregator's frames_accepted from W to W+M

    --cpu adds the CPU time each named process spent over the timed frames (total and per frame).

    INI is the aggregator's psistats.ini (PSISTATS_section__key overrides apply, as for the aggregator). Each command
    prints one line of key=value results. Exit codes: 0 done, 1 failed, 2 bad command line.
    """;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
    {
        Console.WriteLine(Usage);
        return args.Length == 0 ? 2 : 0;
    }

    var options = new Arguments(args.Skip(1));
    switch (args[0])
    {
        case "rules":
            options.CheckAllUsed();
            Console.Write(BenchRules.Ini());
            break;
        case "declare":
        {
            var config = Broker.Options(options.Text("config"));
            var queue = options.Text("queue");
            options.CheckAllUsed();
            await Queues.DeclareAsync(config, queue, stop.Token);
            break;
        }

        case "delete":
        {
            var config = Broker.Options(options.Text("config"));
            var queue = options.Text("queue");
            options.CheckAllUsed();
            await Queues.DeleteAsync(config, queue, stop.Token);
            break;
        }

        case "publish":
        {
            var config = Broker.Options(options.Text("config"));
            var hosts = (int)options.Number("hosts", 10_000, 1, 99_999);
            var frames = options.Number("frames", 200_000, 0, int.MaxValue);
            options.CheckAllUsed();
            await Publisher.RunAsync(config, hosts, frames, stop.Token);
            break;
        }

        case "bare":
        {
            var config = Broker.Options(options.Text("config"));
            var queue = options.Text("queue");
            var skip = options.Number("skip", null, 1, long.MaxValue / 2);
            var count = options.Number("count", null, 1, long.MaxValue / 2);
            var ackBatch = (int)options.Number("ack-batch", 1, 1, config.Prefetch);
            var idle = TimeSpan.FromSeconds(options.Number("idle", 60, 1, 3600));
            var cpu = CpuMeter.Parse(options.Text("cpu", "bare=self"));
            options.CheckAllUsed();
            await BareConsumer.RunAsync(config, queue, skip, count, ackBatch, idle, cpu, stop.Token);
            break;
        }

        case "watch":
        {
            var url = options.Text("healthz");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var healthz) || healthz.Scheme is not ("http" or "https"))
            {
                throw new UsageException($"--healthz must be an http:// URL (got '{url}')");
            }

            var skip = options.Number("skip", null, 1, long.MaxValue / 2);
            var count = options.Number("count", null, 1, long.MaxValue / 2);
            var idle = TimeSpan.FromSeconds(options.Number("idle", 120, 1, 3600));
            var samples = options.Text("samples", "");
            var cpu = CpuMeter.Parse(options.Text("cpu", ""));
            options.CheckAllUsed();
            await HealthWatch.RunAsync(healthz, skip, count, idle, samples.Length == 0 ? null : samples, cpu, stop.Token);
            break;
        }

        default:
            throw new UsageException($"unknown command '{args[0]}'");
    }

    return 0;
}
catch (UsageException ex)
{
    await Console.Error.WriteLineAsync($"psistats-loadgen: {ex.Message}\n\n{Usage}");
    return 2;
}
catch (Exception ex) when (ex is not OutOfMemoryException)
{
    await Console.Error.WriteLineAsync($"psistats-loadgen: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
