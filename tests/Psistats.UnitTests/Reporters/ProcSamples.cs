using Psistats.Agent.Configuration;
using Psistats.TestSupport;

namespace Psistats.UnitTests.Reporters;

/// <summary>
/// Replays the numbered samples of a rate fixture case (<c>diskstats.0</c>, <c>uptime.0</c>, <c>diskstats.1</c>, ...) into a
/// temporary /proc, so that a reporter reads them as successive ticks: <see cref="Show"/> copies sample N of each file.
/// </summary>
internal sealed class ProcSamples : IDisposable
{
    private readonly TempDir _root = new();
    private readonly string _case;
    private readonly (string Sample, string ProcFile)[] _files;

    /// <param name="caseDir">The fixture case folder.</param>
    /// <param name="files">Sample file prefix -> path under /proc, e.g. ("diskstats", "diskstats"), ("dev", "net/dev").</param>
    public ProcSamples(string caseDir, params (string Sample, string ProcFile)[] files)
    {
        _case = caseDir;
        _files = [.. files, ("uptime", "uptime")];
        var sys = Path.Combine(caseDir, "sys");
        Paths = new HostPaths(Path.Combine(_root.Path, "proc"), Directory.Exists(sys) ? sys : Path.Combine(_root.Path, "sys"));
    }

    /// <summary>The host paths: the temporary /proc and the case's sys/ folder (an empty one when the case has none).</summary>
    public HostPaths Paths { get; }

    /// <summary>Puts sample <paramref name="index"/> of every file in place.</summary>
    public void Show(int index)
    {
        foreach (var (sample, procFile) in _files)
        {
            var target = Path.Combine(Paths.Proc, procFile);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(_case, $"{sample}.{index}"), target, overwrite: true);
        }
    }

    public void Dispose() => _root.Dispose();
}
