using TradeNet.Catalog;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Messaging;

StartFailures.ExplainRefusedSettings();
var builder = WebApplication.CreateBuilder(args);
builder.UseTradeNetEndpoints("http://127.0.0.1:5101", "http://127.0.0.1:5102");
builder.AddServiceDefaults("catalog");
builder.AddCatalog();
builder.AddTradeNetBus(x => x.AddCatalogConsumers());
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCatalog();
app.Run();
