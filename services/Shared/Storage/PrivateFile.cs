namespace TradeNet.Shared.Storage;

/// <summary>Files that hold TradeNet's data (the live SQLite files, a backup's copies and manifest): readable and
/// writable by the user who runs TradeNet only (0600 on Unix; elsewhere the folder's inherited rights). SQLite and
/// <see cref="File"/> create files 0666 less the umask (0644 usually), which a copy out of the private folder keeps.</summary>
public static class PrivateFile
{
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary><see cref="Restrict"/>, or why not: a file system without Unix modes (a mounted share), or a file another
    /// account owns, keeps the rights it has; the caller says whether that is worth a warning.</summary>
    public static Exception? TryRestrict(string path)
    {
        try
        {
            Restrict(path);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex;
        }
    }
}
