using System.Diagnostics;
using System.Text.Json.Nodes;
using Psistats.TestSupport;

namespace Psistats.IntegrationTests;

/// <summary>
/// The real agent's <c>os</c> frame against <c>uname</c> and against the shell itself sourcing os-release (os-release(5)
/// says its values are shell assignments, so /bin/sh is the reference parser).
/// </summary>
public sealed class OsComparisonTests
{
    private static readonly string[] OsReleaseKeys = ["PRETTY_NAME", "NAME", "ID", "VERSION_ID", "VERSION_CODENAME"];
    private static readonly string[] FrameFields = ["os", "os_name", "os_id", "os_version_id", "os_version_codename"];

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        args.ToList().ForEach(info.ArgumentList.Add);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}");
        return output;
    }

    /// <summary>The values /bin/sh gets by sourcing <paramref name="file"/>, NUL-separated so that newlines survive; empty is null.</summary>
    private static async Task<string?[]> SourcedAsync(string file)
    {
        var script = ". \"$1\"; printf '%s\\0' " + string.Join(' ', OsReleaseKeys.Select(k => $"\"${k}\""));
        var values = (await RunAsync("/bin/sh", "-c", script, "sh", file)).Split('\0');
        return [.. values.Take(OsReleaseKeys.Length).Select(v => v.Length == 0 ? null : v)];
    }

    private static async Task<JsonObject> OsFrameAsync(IReadOnlyDictionary<string, string> environment)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("os.ini"), string.Concat(
            new[] { "cpu", "mem", "uptime", "ipaddr", "cpu_temp", "sensors", "hddtemp", "diskio", "hddspace", "load", "net" }.Select(s => $"[{s}]\nenabled = no\n")));
        var (exitCode, output) = await ProgramProcess.RunAsync(RepoPaths.Program("Agent", "psistats-agent"), ["--once", "--config", dir.File("os.ini")],
            TimeSpan.FromSeconds(60), environment);
        Assert.True(exitCode == 0, $"agent exit {exitCode}:\n{output}");
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith('{'));
        File.WriteAllText(dir.File("frame.jsonl"), line + "\n");
        Assert.Contains("1 frames valid", await RunAsync("/usr/bin/python3", Path.Combine(RepoPaths.Root, "tests", "tools", "validate_frames.py"),
            Path.Combine(RepoPaths.Root, "Contracts", "Schema", "psistats-frame-v1.schema.json"), dir.File("frame.jsonl")), StringComparison.Ordinal);
        return JsonNode.Parse(line)!.AsObject();
    }

    private static string?[] Values(JsonObject frame) => [.. FrameFields.Select(f => frame[f]?.GetValue<string>())];

    [Fact]
    public async Task This_host_matches_uname_and_its_os_release()
    {
        var frame = await OsFrameAsync(new Dictionary<string, string>());

        Assert.Equal((await RunAsync("uname", "-r")).TrimEnd('\n'), frame["kernel"]!.GetValue<string>());
        Assert.Equal((await RunAsync("uname", "-v")).TrimEnd('\n'), frame["kernel_version"]!.GetValue<string>());
        Assert.Equal((await RunAsync("uname", "-m")).TrimEnd('\n'), frame["arch"]!.GetValue<string>());
        Assert.Equal(await SourcedAsync("/etc/os-release"), Values(frame));
    }

    [Fact]
    public async Task Quoting_and_escapes_in_os_release_read_as_the_shell_reads_them()
    {
        using var rootfs = new TempDir();
        Directory.CreateDirectory(Path.Combine(rootfs.Path, "etc"));
        var file = Path.Combine(rootfs.Path, "etc", "os-release");
        File.WriteAllText(file, """
            # written by hand to exercise os-release(5) quoting
            NAME="Tricky \"Quoted\" \$Linux \`x\` back\\slash"
            PRETTY_NAME='Single $NOT expanded \n'"joined"' and spanning
            two lines'
            ID=tricky\ id
            VERSION_ID="1.0"   # trailing comment
            VERSION_CODENAME=""

            """);

        var frame = await OsFrameAsync(new Dictionary<string, string> { ["PSISTATS_app__rootfs"] = rootfs.Path });

        var shell = await SourcedAsync(file);
        Assert.Equal(new[] { "Single $NOT expanded \\njoined and spanning\ntwo lines", "Tricky \"Quoted\" $Linux `x` back\\slash", "tricky id", "1.0", null }, shell);
        Assert.Equal(shell, Values(frame));
    }
}
