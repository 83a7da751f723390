using System.Net;
using System.Net.Sockets;
using TradeNet.AppHost;

namespace TradeNet.Deploy.Tests;

/// <summary><c>TRADENET_LISTEN_PORTS</c>: the ports the app host picks for its processes (and the process tests for theirs)
/// stay in the operator's range, skipping taken and reserved ones, and a value that is no range is refused naming it.</summary>
public sealed class ListenPortsRangeTests
{
    [Theory]
    [InlineData("7300")]
    [InlineData("7399-7300")]
    [InlineData("80-90")]
    [InlineData("7300-70000")]
    [InlineData("73OO-7399")]
    public void A_value_that_is_no_range_of_ports_is_refused_naming_the_setting(string value)
    {
        var refused = Assert.Throws<ArgumentException>(() => ListenPorts.RangeFrom(value));

        Assert.Contains("TRADENET_LISTEN_PORTS", refused.Message);
        Assert.Contains($"'{value}'", refused.Message);
    }

    [Fact]
    public void Unset_there_is_no_range_and_a_range_is_read_as_its_two_ends()
    {
        Assert.Null(ListenPorts.RangeFrom(null));
        Assert.Equal((7300, 7399), ListenPorts.RangeFrom("7300-7399"));
    }

    [Fact]
    public void A_range_hands_out_its_ports_skipping_a_taken_one_and_a_reserved_one_and_then_refuses()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var low = ((IPEndPoint)taken.LocalEndpoint).Port;
        var range = (low, low + 3);
        ListenPorts.Reserve([low + 1]);

        var handed = new List<int>();
        ArgumentException? refused = null;
        while (refused is null && handed.Count <= 4)
        {
            try { handed.Add(ListenPorts.NextIn(range)); }
            catch (ArgumentException ex) { refused = ex; }
        }

        // Another process may hold low + 2 or low + 3 too: what is handed out is in the range, and never a skipped port.
        Assert.All(handed, port => Assert.InRange(port, low + 2, low + 3));
        Assert.Equal(handed.Count, handed.Distinct().Count());
        Assert.NotNull(refused);
        Assert.Contains("no free port left", refused.Message);
    }
}
