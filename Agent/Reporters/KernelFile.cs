namespace Psistats.Agent.Reporters;

/// <summary>
/// Reads a small kernel text file (procfs, sysfs) whole into a buffer that is kept between reads, so that a
/// reporter reading the same file every tick allocates no new string or array for its content. procfs files
/// report a size of 0, so the file is read until end of file. One instance per reporter (not thread-safe).
/// </summary>
public sealed class KernelFile
{
    private byte[] _buffer = new byte[4096];

    /// <summary>The whole content of <paramref name="path"/> as bytes (ASCII for every file read this way), valid until the next call.</summary>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    /// <exception cref="DirectoryNotFoundException">When a folder of the path does not exist.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    public ReadOnlySpan<byte> ReadAll(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = stream.Read(_buffer, length, _buffer.Length - length);
            if (read == 0)
            {
                return _buffer.AsSpan(0, length);
            }

            length += read;
        }
    }
}
