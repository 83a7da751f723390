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
}
