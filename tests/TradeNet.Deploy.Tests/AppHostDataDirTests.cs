using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using TradeNet.AppHost;

namespace TradeNet.Deploy.Tests;

/// <summary>Where the app host puts the data: the same <c>Storage__DataDir</c> the standalone host takes works, as README
/// and operations.md tell an operator (restoring a backup, upgrading on the same folder).</summary>
public sealed class AppHostDataDirTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tradenet-tests", "apphost-datadir-" + Guid.NewGuid().ToString("N"));

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Storage_DataDir_moves_the_app_hosts_data_as_it_moves_the_standalone_hosts()
    {
        var folder = Path.Combine(_root, "restored");

        var settings = AppHostSettings.ForStart(Config(("Storage:DataDir", folder), ("TradeNet:GatewayPort", ListenPorts.Next().ToString(CultureInfo.InvariantCulture))));

        Assert.Equal(folder, settings.DataDir);
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public void A_start_refused_for_its_gateway_port_leaves_no_data_folder_behind()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var named = Path.Combine(_root, "named");

        // A folder named or the run's new temp folder: either is made by the same step, after the checks.
        Assert.Throws<ArgumentException>(() => AppHostSettings.ForStart(Config(("Storage:DataDir", named), ("TradeNet:GatewayPort", port))));

        Assert.False(Directory.Exists(named));
    }

    [Fact]
    public void A_data_folder_that_cannot_be_made_is_a_refused_start_naming_it()
    {
        // A file where a parent folder should be: root meets this too (a folder it may not write would not stop it).
        Directory.CreateDirectory(_root);
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "not a folder");
        var under = Path.Combine(file, "data");

        var refused = Assert.Throws<ArgumentException>(() => AppHostSettings.ForStart(Config(("Storage:DataDir", under),
            ("TradeNet:GatewayPort", ListenPorts.Next().ToString(CultureInfo.InvariantCulture)))));

        Assert.Contains(under, refused.Message);
        Assert.Contains("cannot be made", refused.Message);
    }

    [Fact]
    public void A_start_refused_for_two_data_folders_makes_neither()
    {
        var (a, b) = (Path.Combine(_root, "a"), Path.Combine(_root, "b"));

        Assert.Throws<ArgumentException>(() => AppHostSettings.ForStart(Config(("TradeNet:DataDir", a), ("Storage:DataDir", b))));

        Assert.False(Directory.Exists(a));
        Assert.False(Directory.Exists(b));
    }

    [Fact]
    public void TradeNet_DataDir_still_moves_it()
    {
        var folder = Path.Combine(_root, "own");

        Assert.Equal(folder, AppHostSettings.DataDirFrom(Config(("TradeNet:DataDir", folder))));
    }

    [Fact]
    public void Both_keys_naming_the_same_folder_are_taken()
    {
        var folder = Path.Combine(_root, "same");

        Assert.Equal(folder, AppHostSettings.DataDirFrom(Config(("TradeNet:DataDir", folder), ("Storage:DataDir", folder + "/"))));
    }

    [Fact]
    public void Both_keys_naming_different_folders_are_refused_naming_both()
    {
        var refused = Assert.Throws<ArgumentException>(() =>
            AppHostSettings.DataDirFrom(Config(("TradeNet:DataDir", Path.Combine(_root, "a")), ("Storage:DataDir", Path.Combine(_root, "b")))));

        Assert.Contains("TradeNet:DataDir", refused.Message);
        Assert.Contains("Storage:DataDir", refused.Message);
    }

    [Fact]
    public void A_relative_folder_is_made_absolute_so_that_every_service_process_finds_the_same_one()
    {
        // The services run in their own project folders: "data" handed on as it is would be a folder of each.
        Assert.Equal(Path.GetFullPath("tradenet-data"), AppHostSettings.DataDirFrom(Config(("Storage:DataDir", "tradenet-data"))));
    }

    [Fact]
    public void Without_either_key_each_run_gets_a_new_temp_folder()
    {
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "tradenet-apphost"), AppHostSettings.DataDirFrom(Config()));
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
