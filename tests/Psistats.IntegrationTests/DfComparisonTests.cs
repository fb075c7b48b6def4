using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Psistats.TestSupport;
using Xunit.Abstractions;

namespace Psistats.IntegrationTests;

/// <summary>
/// The real agent's <c>hddspace</c> frame against coreutils df on this machine (real /proc, real mounts), with a few
/// mounts made for the test (as root): a tmpfs whose mount point has a space, a bind mount of it, a tmpfs without
/// inode limit (no inode counts), an unlimited tmpfs (zero size), an ext4 image on a loop device with reserved blocks
/// and a bind mount of its subdirectory at a shorter path, and two tmpfs stacked on one mount point. Every value must
/// equal df's, allowing only for change between the readings: df runs before and after the agent, and a value passes
/// when it lies between the two (retried a few times while other work on the machine changes the disks).
/// </summary>
public sealed partial class DfComparisonTests(ITestOutputHelper output)
{
    private static readonly string[] Fields = ["size", "used", "avail", "pcent", "itotal", "iused", "iavail", "ipcent"];

    /// <summary>One df line: type and the eight columns (null where df prints '-').</summary>
    private sealed record DfRow(string FsType, long?[] Values);

    [GeneratedRegex(@"^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(/.*)$")]
    private static partial Regex DfLine();

    [Fact]
    public async Task Hddspace_reports_what_df_reports_for_every_filesystem()
    {
        await using var mounts = await TestMounts.CreateAsync();
        var skipTypes = ShippedSkipTypes();
        using var dir = new TempDir();
        File.WriteAllText(dir.File("hddspace.ini"), string.Concat(
            new[] { "cpu", "mem", "uptime", "ipaddr", "cpu_temp", "sensors", "hddtemp", "diskio", "load", "net", "os" }.Select(s => $"[{s}]\nenabled = no\n")));

        List<string> mismatches = [];
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var before = await DfAsync();
            var frame = await HddSpaceFrameAsync(dir.File("hddspace.ini"));
            var after = await DfAsync();
            mismatches = Compare(before, frame, after, skipTypes, mounts.Base, attempt == 1);
            if (mismatches.Count == 0)
            {
                await ValidateAgainstSchemaAsync(frame);
                break;
            }

            output.WriteLine($"attempt {attempt}: {mismatches.Count} differences, reading again:\n  " + string.Join("\n  ", mismatches));
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    private List<string> Compare(IReadOnlyDictionary<string, DfRow> before, JsonObject frame, IReadOnlyDictionary<string, DfRow> after,
        IReadOnlySet<string> skipTypes, string testBase, bool print)
    {
        var ours = frame["filesystems"]!.AsObject();
        var mismatches = new List<string>();
        var expected = before.Keys.Union(after.Keys).Where(t => !skipTypes.Contains((before.GetValueOrDefault(t) ?? after[t]).FsType)).Order(StringComparer.Ordinal).ToList();
        var reported = ours.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        if (!expected.SequenceEqual(reported))
        {
            mismatches.Add($"filesystems: df minus skip_types lists [{string.Join(", ", expected)}], hddspace [{string.Join(", ", reported)}]");
        }

        if (frame["filesystem_errors"]!.AsObject().Count > 0)
        {
            mismatches.Add($"filesystem_errors: {frame["filesystem_errors"]!.ToJsonString()}");
        }

        var table = new StringBuilder($"{"mount point",-40} {"fstype",-8} {"",3} {string.Join(" ", Fields.Select(f => $"{f,13}"))}\n");
        foreach (var target in before.Keys.Union(after.Keys).Union(reported).Order(StringComparer.Ordinal))
        {
            var (b, a) = (before.GetValueOrDefault(target), after.GetValueOrDefault(target));
            var fs = ours[target]?.AsObject();
            var ourValues = fs is null ? null : Fields.Select(f => fs[f] is { } v ? (long?)v.GetValue<long>() : null).ToArray();
            var shortName = target.StartsWith(testBase, StringComparison.Ordinal) ? "<test>" + target[testBase.Length..] : target;
            table.Append(CultureInfo.InvariantCulture, $"{shortName,-40} {(b ?? a)?.FsType ?? fs?["fstype"]?.GetValue<string>(),-8} df  {Row(b?.Values)}\n");
            table.Append(CultureInfo.InvariantCulture, $"{"",-40} {"",-8} us  {(fs is null ? "(not reported)" : Row(ourValues))}\n");
            if (b is null || a is null || ourValues is null)
            {
                continue;
            }

            for (var i = 0; i < Fields.Length; i++)
            {
                var (low, high) = (Math.Min(Df(b, i), Df(a, i)), Math.Max(Df(b, i), Df(a, i)));
                var value = Ours(ourValues[i], i);
                if (value < low || value > high)
                {
                    mismatches.Add($"{target} {Fields[i]}: df {Df(b, i)} then {Df(a, i)}, hddspace {value}");
                }
            }
        }

        if (print || mismatches.Count > 0)
        {
            output.WriteLine(table.ToString());
        }

        return mismatches;
    }

    /// <summary>df's value as a number for comparison: '-' is -1.</summary>
    private static long Df(DfRow row, int field) => row.Values[field] ?? -1;

    /// <summary>
    /// Our value mapped to df's printing: a null percent is df's '-' (-1); null inode counts (a filesystem that counts
    /// none) are df -i's 0.
    /// </summary>
    private static long Ours(long? value, int field) => value ?? (Fields[field].EndsWith("pcent", StringComparison.Ordinal) ? -1 : 0);

    private static string Row(long?[]? values) =>
        values is null ? "(not listed)" : string.Join(" ", values.Select(v => $"{(v is null ? "-" : v.Value.ToString(CultureInfo.InvariantCulture)),13}"));

    private static async Task<IReadOnlyDictionary<string, DfRow>> DfAsync()
    {
        var (exit, stdout, stderr) = await TestMounts.RunAsync("df", "-B1", "--output=fstype,size,used,avail,pcent,itotal,iused,iavail,ipcent,target");
        Assert.True(exit == 0, $"df failed ({exit}): {stderr}");
        var rows = new Dictionary<string, DfRow>(StringComparer.Ordinal);
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var match = DfLine().Match(line);
            Assert.True(match.Success, $"unexpected df line '{line}'");
            rows[match.Groups[10].Value] = new DfRow(match.Groups[1].Value,
                [.. Enumerable.Range(2, 8).Select(g => match.Groups[g].Value is var v && v == "-" ? (long?)null : long.Parse(v.TrimEnd('%'), CultureInfo.InvariantCulture))]);
        }

        return rows;
    }

    private static async Task<JsonObject> HddSpaceFrameAsync(string ini)
    {
        // Without diagnostics the runtime creates no IPC files in /tmp: the agent would otherwise add inodes to / while it reads.
        var (exitCode, agentOutput) = await ProgramProcess.RunAsync(RepoPaths.Program("Agent", "psistats-agent"), ["--once", "--config", ini],
            TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["DOTNET_EnableDiagnostics"] = "0" });
        Assert.True(exitCode == 0, $"agent exit {exitCode}:\n{agentOutput}");
        var line = Assert.Single(agentOutput.Split('\n'), l => l.StartsWith('{'));
        var frame = JsonNode.Parse(line)!.AsObject();
        Assert.Equal("hddspace", frame["reporter"]!.GetValue<string>());
        return frame;
    }

    private async Task ValidateAgainstSchemaAsync(JsonObject frame)
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("frame.jsonl"), frame.ToJsonString() + "\n");
        var (exit, stdout, stderr) = await TestMounts.RunAsync("/usr/bin/python3", Path.Combine(RepoPaths.Root, "tests", "tools", "validate_frames.py"),
            Path.Combine(RepoPaths.Root, "Contracts", "Schema", "psistats-frame-v1.schema.json"), dir.File("frame.jsonl"));
        output.WriteLine(stdout);
        Assert.True(exit == 0, $"schema validation failed: {stdout}{stderr}");
    }

    /// <summary>[hddspace] skip_types as shipped (a unit test holds it equal to the code's default).</summary>
    private static HashSet<string> ShippedSkipTypes() =>
        new ConfigurationBuilder().AddIniFile(Path.Combine(RepoPaths.Root, "psistats.ini")).Build()["hddspace:skip_types"]!
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>The test's mounts under a fresh directory; disposing unmounts them (last first) and removes the directory.</summary>
    private sealed class TestMounts : IAsyncDisposable
    {
        private readonly TempDir _dir = new();
        private readonly List<string> _mounted = [];

        public string Base => _dir.Path;

        public static async Task<TestMounts> CreateAsync()
        {
            var mounts = new TestMounts();
            try
            {
                await mounts.BuildAsync();
                return mounts;
            }
            catch
            {
                await mounts.DisposeAsync();
                throw;
            }
        }

        private async Task BuildAsync()
        {
            var spaced = Dir("tmpfs with space");
            await MountAsync(spaced, "-t", "tmpfs", "-o", "size=8m,nr_inodes=1000", "psistats-df-tmpfs");
            await File.WriteAllBytesAsync(Path.Combine(spaced, "one-mebibyte"), new byte[1 << 20]);
            for (var i = 0; i < 10; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(spaced, $"small-{i}"), "x");
            }

            await MountAsync(Dir("bind-of-the-tmpfs-at-a-longer-path"), "--bind", spaced);
            await MountAsync(Dir("no-inode-limit"), "-t", "tmpfs", "-o", "size=4m,nr_inodes=0", "psistats-df-noinodes");
            await MountAsync(Dir("unlimited"), "-t", "tmpfs", "-o", "size=0", "psistats-df-unlimited");

            var image = Path.Combine(Base, "ext4.img");
            await using (var file = File.Create(image))
            {
                file.SetLength(32 << 20);
            }

            Check(await RunAsync("mkfs.ext4", "-q", "-F", "-m", "5", image), "mkfs.ext4");
            var ext4 = Dir("ext4-filesystem-root");
            await MountAsync(ext4, "-o", "loop", image);
            Directory.CreateDirectory(Path.Combine(ext4, "sub"));
            await File.WriteAllBytesAsync(Path.Combine(ext4, "sub", "three-mebibytes"), new byte[3 << 20]);
            await MountAsync(Dir("e"), "--bind", Path.Combine(ext4, "sub"));

            var stacked = Dir("stacked");
            await MountAsync(stacked, "-t", "tmpfs", "-o", "size=2m", "psistats-df-lower");
            await MountAsync(stacked, "-t", "tmpfs", "-o", "size=6m", "psistats-df-upper");
        }

        private string Dir(string name) => Directory.CreateDirectory(Path.Combine(Base, name)).FullName;

        private async Task MountAsync(string target, params string[] args)
        {
            Check(await RunAsync("mount", [.. args, target]), $"mount {string.Join(' ', args)} {target} (the df comparison mounts test filesystems: run it as root, as ./run.sh test does)");
            _mounted.Add(target);
        }

        private static void Check((int Exit, string Stdout, string Stderr) result, string what) =>
            Assert.True(result.Exit == 0, $"{what} failed ({result.Exit}): {result.Stderr}");

        public async ValueTask DisposeAsync()
        {
            for (var i = _mounted.Count - 1; i >= 0; i--)
            {
                if ((await RunAsync("umount", _mounted[i])).Exit != 0)
                {
                    await RunAsync("umount", "-l", _mounted[i]);
                }
            }

            _dir.Dispose();
        }

        public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string program, params string[] args)
        {
            var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            args.ToList().ForEach(info.ArgumentList.Add);
            info.Environment["LC_ALL"] = "C";
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
