namespace Psistats.TestSupport;

/// <summary>Locations inside the repository, found from the test assembly (walks up to Psistats.sln).</summary>
public static class RepoPaths
{
    /// <summary>The repository root (PSISTATS_REPO_ROOT overrides the search, for builds with --artifacts-path).</summary>
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

    /// <summary>
    /// Path of a program's main dll, e.g. <c>Program("Agent", "psistats-agent")</c>: under <c>&lt;project&gt;/bin/</c>, or, for a
    /// build with <c>--artifacts-path DIR</c>, under <c>DIR/bin/Psistats.&lt;project&gt;/</c> when PSISTATS_ARTIFACTS=DIR is set.
    /// </summary>
    public static string Program(string project, string assembly) => Program(project, $"Psistats.{project}", assembly);

    /// <summary>
    /// Path of the main dll of a project in <paramref name="projectFolder"/> (relative to the root, e.g. <c>tests/CgminerSimulator</c>)
    /// whose project file is <paramref name="projectName"/>.csproj (the folder name under <c>DIR/bin/</c> of an artifacts build),
    /// e.g. <c>Program("tests/CgminerSimulator", "CgminerSimulator", "cgminer-simulator")</c>.
    /// </summary>
    public static string Program(string projectFolder, string projectName, string assembly)
    {
        var artifacts = Environment.GetEnvironmentVariable("PSISTATS_ARTIFACTS");
        var path = artifacts is { Length: > 0 }
            ? Path.Combine(artifacts, "bin", projectName, Configuration.ToLowerInvariant(), assembly + ".dll")
            : Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0", assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built: build Psistats.sln -c {Configuration} first", path);
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("PSISTATS_REPO_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

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
