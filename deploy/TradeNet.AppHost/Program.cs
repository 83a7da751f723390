using TradeNet.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
AppHostSettings settings;
try
{
    settings = AppHostSettings.ForStart(builder.Configuration);
}
catch (ArgumentException refused)
{
    // As the other hosts say a refused setting: one line on standard error and exit code 2, not a stack trace.
    Console.Error.WriteLine($"TradeNet cannot start: {refused.Message}");
    return 2;
}
if (settings.Distributed) builder.AddDistributedTradeNet(settings);
else builder.AddEmbeddedTradeNet(settings);
builder.PrintAddressesWhenStarted(settings);
builder.Build().Run();
return 0;
