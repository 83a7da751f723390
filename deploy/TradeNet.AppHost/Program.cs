using TradeNet.AppHost;

DashboardAddresses.ApplyDefaults(args);
var builder = DistributedApplication.CreateBuilder(args);
AppHostSettings? settings = null;
try
{
    settings = AppHostSettings.ForStart(builder.Configuration);
    if (settings.Distributed) builder.AddDistributedTradeNet(settings);
    else builder.AddEmbeddedTradeNet(settings);
}
catch (Exception refused) when (refused is ArgumentException or CannotStartException)
{
    // As the other hosts say a refused setting: one line on standard error and exit code 2, not a stack trace. A broker
    // that cannot be had (no rabbitmq-server, a node that does not start) is said so too: it was an unhandled exception
    // (abort, 134) that left the data folder this start had made, empty, behind.
    settings?.RemoveDataDirIfUnused();
    Console.Error.WriteLine($"TradeNet cannot start: {refused.Message}");
    return 2;
}
builder.PrintAddressesWhenStarted(settings);
builder.Build().Run();
return 0;
