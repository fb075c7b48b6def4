using System.Runtime.InteropServices;

namespace Psistats.Agent.Reporters.HddSpace;

/// <summary>A statvfs(2) that failed, with its errno.</summary>
public sealed class StatVfsException(string path, int errno, string message) : IOException($"statvfs {path}: {message}")
{
    /// <summary>ENOENT.</summary>
    public const int NoSuchFile = 2;

    /// <summary>EACCES.</summary>
    public const int PermissionDenied = 13;

    /// <summary>The errno statvfs set.</summary>
    public int Errno { get; } = errno;
}

/// <summary>
/// libc <c>statvfs(3)</c> through P/Invoke (.NET's DriveInfo has no inode counts). The layout is glibc's and musl's
/// <c>struct statvfs</c> for 64-bit Linux (x86_64, aarch64; 112 bytes): two unsigned longs, then six 64-bit counts
/// (f_blocks, f_bfree, f_bavail, f_files, f_ffree, f_favail), then f_fsid, f_flag, f_namemax and spare ints. 32-bit
/// processes (glibc's 32-bit counts need statvfs64 there) are not supported.
/// </summary>
internal static partial class NativeStatVfs
{
    /// <summary>statvfs of <paramref name="path"/>.</summary>
    /// <exception cref="StatVfsException">When statvfs fails (errno and its message).</exception>
    /// <exception cref="PlatformNotSupportedException">In a 32-bit process.</exception>
    public static StatVfs Get(string path)
    {
        if (!Environment.Is64BitProcess)
        {
            throw new PlatformNotSupportedException("hddspace reads struct statvfs with the 64-bit Linux layout; run a 64-bit agent");
        }

        if (StatVfsCall(path, out var buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new StatVfsException(path, errno, Marshal.GetPInvokeErrorMessage(errno));
        }

        return new StatVfs((ulong)buffer.BlockSize, (ulong)buffer.FragmentSize, buffer.Blocks, buffer.BlocksFree, buffer.BlocksAvailable,
            buffer.Files, buffer.FilesFree);
    }

    [LibraryImport("libc", EntryPoint = "statvfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatVfsCall(string path, out StatVfsBuffer buffer);

    /// <summary>The leading fields of <c>struct statvfs</c>; <c>Size</c> covers the rest (f_fsid, f_flag, f_namemax, __f_spare[6]).</summary>
    [StructLayout(LayoutKind.Sequential, Size = 112)]
    private struct StatVfsBuffer
    {
        public nuint BlockSize;
        public nuint FragmentSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public ulong Files;
        public ulong FilesFree;
    }
}
