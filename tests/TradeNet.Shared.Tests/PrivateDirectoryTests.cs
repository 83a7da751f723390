using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

public sealed class PrivateDirectoryTests : IDisposable
{
    private readonly TestSettings _settings = new();

    [Fact]
    public void A_data_folder_the_store_creates_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows()) return; // rights there come from the parent folder
        var folder = Path.Combine(_settings.DataDir, "new", "data");

        _ = new SqliteDatabase(Path.Combine(folder, "catalog.db"), "");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    [Fact]
    public void A_data_folder_that_exists_keeps_the_rights_its_owner_gave_it()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = Path.Combine(_settings.DataDir, "shared");
        var rights = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        Directory.CreateDirectory(folder, rights);

        _ = new SqliteDatabase(Path.Combine(folder, "catalog.db"), "");

        Assert.Equal(rights, File.GetUnixFileMode(folder));
    }

    public void Dispose() => _settings.Dispose();
}
