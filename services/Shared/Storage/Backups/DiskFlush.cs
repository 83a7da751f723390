using System.Runtime.InteropServices;

namespace TradeNet.Shared.Storage.Backups;

/// <summary>Asks the disk to keep what was written (fsync): a write or a rename otherwise sits in the page cache, and a
/// power cut can lose it after the call returned.</summary>
internal static class DiskFlush
{
    /// <summary>A file's bytes and size.</summary>
    public static void File(string path)
    {
        // Opened for writing: .NET flushes to the disk only a stream that can write.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>A folder's entries: the files made in it, a name given in it. .NET opens no folder as a file, so through libc
    /// (Linux only; elsewhere the file system's own journal is all there is).</summary>
    public static void Folder(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd;
        try
        {
            fd = open(path, ReadOnly);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return; // not glibc (musl): as elsewhere, the journal alone
        }
        if (fd < 0) throw Failure("open", path);
        try
        {
            // Some file systems cannot flush a folder (EINVAL): they keep nothing more for being asked.
            if (fsync(fd) != 0 && Marshal.GetLastPInvokeError() != InvalidArgument) throw Failure("fsync", path);
        }
        finally
        {
            _ = close(fd);
        }
    }

    private const int ReadOnly = 0, InvalidArgument = 22;

    // The errno as the HResult, as .NET's own IOExceptions on Unix: SqliteBackups.Problem words it without the path.
    private static IOException Failure(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int close(int fd);
}
