namespace TradeNet.Shared.Storage;

/// <summary>Folders that hold TradeNet's data (every trade, key hashes, demo keys): created readable by the user who
/// runs TradeNet only (0700 on Unix; elsewhere the folder's inherited rights). A folder that already exists keeps the
/// rights its owner gave it.</summary>
public static class PrivateDirectory
{
    public static DirectoryInfo Create(string path) => OperatingSystem.IsWindows()
        ? Directory.CreateDirectory(path)
        : Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
