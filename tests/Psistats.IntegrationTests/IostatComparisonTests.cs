using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Psistats.TestSupport;
using Xunit.Abstractions;

namespace Psistats.IntegrationTests;

/// <summary>
/// The real agent's <c>diskio</c> frame against Debian's sysstat <c>iostat -dx</c>, fed the very same two samples, so
/// that the two must agree to the last printed digit rather than within a timing tolerance:
/// <list type="bullet">
/// <item>the agent (<c>--once</c>, only diskio) reads <c>/proc/diskstats</c> and <c>/proc/uptime</c> from a proc_root
/// whose two files are FIFOs: its first read gets sample A, its second sample B;</item>
/// <item>iostat reads its disk statistics from <c>iostat -f DIR -p ALL</c> (DIR/diskstats) and its uptime from
/// /proc/uptime, over which a file is bind-mounted in a private mount namespace (<c>unshare --map-root-user --mount</c>);
/// both files hold sample A until iostat has printed its first report (it read A), then sample B.</item>
/// </list>
/// The samples are this machine's own, taken around a burst of <c>dd oflag=direct</c> writes and <c>iflag=direct</c>
/// reads, and the committed fixture cases (tests/fixtures/diskio/). Every column of every device both list must agree
/// within 0.01: the formulas and the double arithmetic are iostat's, only the final rounding differs (.NET
/// Math.Round against printf's %.2f of the exact binary value, one unit in the last place on a tie). %util is compared
/// with min(iostat, 100): iostat 12.6 does not cap it. The wrapped-counter fixture is left out: a 64-bit iostat cannot
/// read a 32-bit kernel's counters (it prints 9.2e18 reads per second there). The test fails, never skips, when
/// iostat, unshare or mkfifo is missing.
/// </summary>
public sealed class IostatComparisonTests(ITestOutputHelper output)
{
    /// <summary>Our column name -> iostat's JSON name (iostat -dx -o JSON drops the % signs).</summary>
    private static readonly (string Ours, string Iostat)[] Columns =
    [
        ("r/s", "r/s"), ("rkB/s", "rkB/s"), ("rrqm/s", "rrqm/s"), ("%rrqm", "rrqm"), ("r_await", "r_await"), ("rareq-sz", "rareq-sz"),
        ("w/s", "w/s"), ("wkB/s", "wkB/s"), ("wrqm/s", "wrqm/s"), ("%wrqm", "wrqm"), ("w_await", "w_await"), ("wareq-sz", "wareq-sz"),
        ("d/s", "d/s"), ("dkB/s", "dkB/s"), ("drqm/s", "drqm/s"), ("%drqm", "drqm"), ("d_await", "d_await"), ("dareq-sz", "dareq-sz"),
        ("f/s", "f/s"), ("f_await", "f_await"), ("aqu-sz", "aqu-sz"), ("%util", "util"),
    ];

    private sealed record Sample(string Diskstats, string Uptime);

    [Fact]
    public async Task This_machine_during_direct_io_gives_what_iostat_gives()
    {
        RequireTools();
        using var work = new TempDir();
        var a = TakeSample();
        var file = work.File("io.bin");
        var started = Stopwatch.StartNew();
        await RunAsync("dd", "if=/dev/zero", $"of={file}", "bs=1M", "count=48", "oflag=direct");
        await RunAsync("dd", $"if={file}", "of=/dev/null", "bs=256k", "iflag=direct");
        // At least a second between the samples: /proc/uptime counts in hundredths.
        var rest = TimeSpan.FromSeconds(1) - started.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }

        var b = TakeSample();

        var compared = await CompareAsync(a, b, work);

        Assert.Contains(compared, d => d.Writes > 0 && d.Reads > 0);
    }

    [Theory]
    [InlineData("desktop-18-fields", 0, 1)]
    [InlineData("server-many-disks", 0, 1)]
    [InlineData("old-kernel-14-fields", 0, 1)]
    [InlineData("discard-flush-20-fields", 0, 1)]
    public async Task A_fixture_case_gives_what_iostat_gives(string name, int first, int second)
    {
        RequireTools();
        using var work = new TempDir();
        Sample Load(int i) => new(File.ReadAllText(RepoPaths.Fixture("diskio", name, $"diskstats.{i}")), File.ReadAllText(RepoPaths.Fixture("diskio", name, $"uptime.{i}")));

        var compared = await CompareAsync(Load(first), Load(second), work, RepoPaths.Fixture("diskio", name, "sys"));

        Assert.Contains(compared, d => d.Writes > 0);
    }

    private sealed record Compared(string Device, double Reads, double Writes);

    /// <summary>Runs both programs on samples a and b, asserts every common device agrees, returns what was compared.</summary>
    private async Task<List<Compared>> CompareAsync(Sample a, Sample b, TempDir work, string sysRoot = "/sys")
    {
        var oursTask = AgentDiskIoAsync(a, b, work, sysRoot);
        var iostatTask = IostatAsync(a, b, work);
        var ours = await oursTask;
        var (extended, basic) = await iostatTask;
        await ValidateAgainstSchemaAsync(ours.Frame, work);

        var devices = ours.Devices.Where(d => extended.ContainsKey(d.Key)).ToList();
        Assert.True(devices.Count > 0, $"no device in both outputs: ours [{string.Join(", ", ours.Devices.Select(d => d.Key))}], iostat [{string.Join(", ", extended.Keys)}]");
        var mismatches = new List<string>();
        var compared = new List<Compared>();
        foreach (var (device, values) in devices)
        {
            var theirs = extended[device];
            var line = new StringBuilder($"{device,-10}");
            foreach (var (our, their) in Columns.Append(("tps", "tps")))
            {
                var expected = their == "tps" ? basic[device]["tps"]!.GetValue<double>() : theirs[their]!.GetValue<double>();
                if (our == "%util")
                {
                    expected = Math.Min(expected, 100);
                }

                if (values[our] is not { } node)
                {
                    // Discard and flush columns are absent where the kernel lacks the fields; iostat prints 0 there.
                    if (expected != 0)
                    {
                        mismatches.Add($"{device} {our}: missing, iostat {expected}");
                    }

                    continue;
                }

                var actual = node.GetValue<double>();
                if (Math.Abs(actual - expected) > 0.0100001)
                {
                    mismatches.Add($"{device} {our}: ours {actual}, iostat {expected}");
                }

                if (actual != 0 || expected != 0)
                {
                    line.Append(CultureInfo.InvariantCulture, $" {our}={actual}/{expected}");
                }
            }

            output.WriteLine(line.ToString());
            compared.Add(new Compared(device, values["r/s"]!.GetValue<double>(), values["w/s"]!.GetValue<double>()));
        }

        Assert.True(mismatches.Count == 0, "ours vs iostat:\n" + string.Join('\n', mismatches));
        return compared;
    }

    private static Sample TakeSample() => new(File.ReadAllText("/proc/diskstats"), File.ReadAllText("/proc/uptime"));

    /// <summary>The real agent, <c>--once</c> with only diskio enabled (every device, partitions too), reading a and b through FIFOs.</summary>
    private static async Task<(JsonObject Frame, Dictionary<string, JsonObject> Devices)> AgentDiskIoAsync(Sample a, Sample b, TempDir work, string sysRoot)
    {
        var proc = Directory.CreateDirectory(work.File("agent-proc")).FullName;
        var diskstats = Path.Combine(proc, "diskstats");
        var uptime = Path.Combine(proc, "uptime");
        await RunAsync("mkfifo", diskstats, uptime);
        File.WriteAllText(work.File("agent.ini"), string.Concat(ReporterSections().Where(s => s != "diskio").Select(s => $"[{s}]\nenabled = no\n"))
            + "[diskio]\nenabled = yes\npartitions = yes\nignore =\n");
        var feeders = new[] { FeedAsync(diskstats, a.Diskstats, b.Diskstats), FeedAsync(uptime, a.Uptime, b.Uptime) };

        var (exitCode, agentOutput) = await ProgramProcess.RunAsync(RepoPaths.Program("Agent", "psistats-agent"), ["--once", "--config", work.File("agent.ini")],
            TimeSpan.FromSeconds(30), new Dictionary<string, string>
            {
                ["PSISTATS_app__proc_root"] = proc,
                ["PSISTATS_app__sys_root"] = sysRoot,
                ["PSISTATS_app__hostname"] = "iostat-comparison",
            });
        try
        {
            await Task.WhenAll(feeders).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            Release(diskstats);
            Release(uptime);
            Assert.Fail($"the agent did not read diskstats and uptime twice each:\n{agentOutput}");
        }

        Assert.True(exitCode == 0, agentOutput);
        var line = agentOutput.Split('\n').SingleOrDefault(l => l.Contains("\"reporter\":\"diskio\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no diskio frame in the agent's output:\n{agentOutput}");
        var frame = JsonNode.Parse(line)!.AsObject();
        return (frame, frame["diskio"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.AsObject()));
    }

    /// <summary>
    /// Writes <paramref name="first"/> to the first reader that opens the FIFO and <paramref name="second"/> to the next
    /// one. Before opening for the second, waits until no process holds the FIFO open (checked in /proc/*/fd, which has
    /// no side effect: a reader still blocked in open(2) holds no descriptor yet, and probing with an open of our own
    /// would hand that waiting reader an empty file); otherwise the second text could reach the first reader.
    /// </summary>
    private static Task FeedAsync(string fifo, string first, string second) => Task.Run(async () =>
    {
        foreach (var text in new[] { first, second })
        {
            using (var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
                stream.Write(Encoding.ASCII.GetBytes(text));
            }

            while (IsOpenByAnyProcess(fifo))
            {
                await Task.Delay(5);
            }
        }
    });

    /// <summary>Unblocks a feeder still waiting for a reader.</summary>
    private static void Release(string fifo)
    {
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read);
        stream.CopyTo(Stream.Null);
    }

    /// <summary>
    /// iostat -dx and iostat -d (for tps) in JSON, each in a private mount namespace with /proc/uptime replaced, over
    /// samples a then b: the files hold a until both have printed their first report, then b. Interval 2 s: the switch
    /// must happen before their second reading.
    /// </summary>
    private static async Task<(Dictionary<string, JsonObject> Extended, Dictionary<string, JsonObject> Basic)> IostatAsync(Sample a, Sample b, TempDir work)
    {
        var alt = Directory.CreateDirectory(work.File("iostat-alt")).FullName;
        var diskstats = Path.Combine(alt, "diskstats");
        var uptime = work.File("iostat-uptime");
        File.WriteAllText(diskstats, a.Diskstats);
        File.WriteAllText(uptime, a.Uptime);

        var runs = new[] { "-dx", "-d" }.Select(mode => new IostatRun(mode, uptime, alt)).ToList();
        try
        {
            await Task.WhenAll(runs.Select(r => r.FirstReportAsync()));
            // Rewritten in place: the bind mount keeps pointing at the same inode.
            File.WriteAllText(uptime, b.Uptime);
            File.WriteAllText(diskstats, b.Diskstats);
            var reports = await Task.WhenAll(runs.Select(r => r.SecondReportAsync()));
            return (reports[0], reports[1]);
        }
        finally
        {
            runs.ForEach(r => r.Dispose());
        }
    }

    /// <summary>One iostat process: <c>iostat MODE -o JSON -f ALT -p ALL 2 2</c> with /proc/uptime replaced, its stdout read as it comes.</summary>
    private sealed class IostatRun : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stdout = new();
        private readonly Task<string> _stderr;

        public IostatRun(string mode, string uptime, string alt)
        {
            var info = new ProcessStartInfo("unshare")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "--map-root-user", "--mount", "--propagation", "private", "sh", "-c",
                         "mount --bind \"$0\" /proc/uptime && exec iostat \"$1\" -o JSON -f \"$2\" -p ALL 2 2", uptime, mode, alt })
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["LC_ALL"] = "C";
            _process = Process.Start(info)!;
            _stderr = _process.StandardError.ReadToEndAsync();
        }

        /// <summary>Returns once the first report (since boot, from sample a) is complete: iostat has read a.</summary>
        public async Task FirstReportAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var buffer = new char[4096];
            while (!FirstReportDone())
            {
                var read = await _process.StandardOutput.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    throw new InvalidOperationException($"iostat ended before its first report: {_stdout}{await _stderr}");
                }

                _stdout.Append(buffer, 0, read);
            }
        }

        /// <summary>The devices of the second report (sample a to sample b), by name.</summary>
        public async Task<Dictionary<string, JsonObject>> SecondReportAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            _stdout.Append(await _process.StandardOutput.ReadToEndAsync(timeout.Token));
            await _process.WaitForExitAsync(timeout.Token);
            Assert.True(_process.ExitCode == 0, $"iostat exited {_process.ExitCode}: {await _stderr}");
            var statistics = JsonNode.Parse(_stdout.ToString())!["sysstat"]!["hosts"]![0]!["statistics"]!.AsArray();
            Assert.Equal(2, statistics.Count);
            return statistics[1]!["disk"]!.AsArray().Select(d => d!.AsObject()).ToDictionary(d => d["disk_device"]!.GetValue<string>());
        }

        private bool FirstReportDone()
        {
            var text = _stdout.ToString();
            var disks = text.IndexOf("\"disk\": [", StringComparison.Ordinal);
            return disks >= 0 && text.IndexOf(']', disks) > 0;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }

    private async Task ValidateAgainstSchemaAsync(JsonObject frame, TempDir work)
    {
        await File.WriteAllTextAsync(work.File("diskio.jsonl"), frame.ToJsonString() + "\n");
        var (_, stdout) = await RunAsync("python3", Path.Combine(RepoPaths.Root, "tests", "tools", "validate_frames.py"),
            Path.Combine(RepoPaths.Root, "Contracts", "Schema", "psistats-frame-v1.schema.json"), work.File("diskio.jsonl"));
        output.WriteLine($"schema: {stdout.Trim()}");
    }

    /// <summary>Every reporter section of the shipped psistats.ini (the sections with an <c>enabled</c> key).</summary>
    private static IEnumerable<string> ReporterSections()
    {
        string? section = null;
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "psistats.ini")).Select(l => l.Trim()))
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
            }
            else if (section is not null && line.StartsWith("enabled", StringComparison.Ordinal))
            {
                yield return section;
            }
        }
    }

    private static void RequireTools()
    {
        foreach (var (tool, package) in new[] { ("iostat", "sysstat"), ("unshare", "util-linux"), ("mkfifo", "coreutils"), ("dd", "coreutils"), ("python3", "python3-jsonschema") })
        {
            Assert.True(OnPath(tool), $"'{tool}' is not installed: this test compares with the real tool; install the Debian package {package} (scripts/setup.sh installs what the tests need)");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));

    /// <summary>True when some process has a descriptor open on <paramref name="path"/> (read from /proc/PID/fd links).</summary>
    private static bool IsOpenByAnyProcess(string path)
    {
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")).Any(fd => new FileInfo(fd).LinkTarget == path))
                {
                    return true;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return false;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}: {text}");
        return (process.ExitCode, text);
    }
}
