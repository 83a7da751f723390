using TradeNet.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);
if (settings.Distributed) builder.AddDistributedTradeNet(settings);
else builder.AddEmbeddedTradeNet(settings);
builder.PrintAddressesWhenStarted(settings);
builder.Build().Run();
