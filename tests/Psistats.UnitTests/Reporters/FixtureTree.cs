namespace Psistats.UnitTests.Reporters;

/// <summary>Copies of fixture sysfs trees that tests may change, with symlinks kept as symlinks (same relative targets).</summary>
internal static class FixtureTree
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, recreating every symlink with its own target.</summary>
    public static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                Copy(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    /// <summary>
    /// Renumbers every hwmon chip of a copied tree (<c>class/hwmon/hwmonN</c> and the folder it points to become hwmon(N+<paramref name="offset"/>)),
    /// as another boot with a different probe order would.
    /// </summary>
    public static void RenumberHwmon(string sysRoot, int offset)
    {
        var classDir = Path.Combine(sysRoot, "class", "hwmon");
        foreach (var link in Directory.GetFileSystemEntries(classDir).Order(StringComparer.Ordinal).Reverse())
        {
            var target = new FileInfo(link).LinkTarget!;
            var number = int.Parse(Path.GetFileName(link)["hwmon".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var newName = $"hwmon{number + offset}";
            var newTarget = Path.Combine(Path.GetDirectoryName(target)!, newName);
            Directory.Move(Path.GetFullPath(Path.Combine(classDir, target)), Path.GetFullPath(Path.Combine(classDir, newTarget)));
            File.Delete(link);
            File.CreateSymbolicLink(Path.Combine(classDir, newName), newTarget);
        }
    }

    /// <summary>Replaces an attribute with a symlink to /proc/self/mem, whose read fails with EIO, as a sleeping sensor's does.</summary>
    public static void MakeUnreadable(string attribute)
    {
        File.Delete(attribute);
        File.CreateSymbolicLink(attribute, "/proc/self/mem");
    }
}
