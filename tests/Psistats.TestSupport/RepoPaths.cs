namespace Psistats.TestSupport;

/// <summary>Locations inside the repository, found from the test assembly (walks up to Psistats.sln).</summary>
public static class RepoPaths
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/fixtures.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    /// <summary>A fixture path, e.g. <c>Fixture("cpu", "two-cores", "stat.0")</c>.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    /// <summary>The build configuration the tests were built with; the programs under test are taken from the same one.</summary>
    public static string Configuration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>Path of a program's main dll, e.g. <c>Program("Agent", "psistats-agent")</c>.</summary>
    public static string Program(string project, string assembly)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: build Psistats.sln -c {Configuration} first", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Psistats.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Psistats.sln above {AppContext.BaseDirectory}");
    }
}
