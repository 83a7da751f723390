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

    [Fact]
    public void A_stores_file_and_its_write_ahead_log_are_readable_by_their_owner_only_even_in_a_folder_others_may_read()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = Path.Combine(_settings.DataDir, "open");
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var path = Path.Combine(folder, "catalog.db");

        var database = new SqliteDatabase(path, "CREATE TABLE IF NOT EXISTS towns (id TEXT PRIMARY KEY);");
        using (var connection = database.Open())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO towns VALUES ('42187')";
            insert.ExecuteNonQuery();
            // Every town's key hash lives in these files: a folder an operator opened to others must not open them.
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                Assert.Equal((file, UnixFileMode.UserRead | UnixFileMode.UserWrite), (file, File.GetUnixFileMode(file)));
        }
    }

    [Fact]
    public void A_store_opened_again_tightens_the_rights_an_older_release_left_on_its_files()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = Path.Combine(_settings.DataDir, "catalog.db");
        _ = new SqliteDatabase(path, "");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        _ = new SqliteDatabase(path, "");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    public void Dispose() => _settings.Dispose();
}
