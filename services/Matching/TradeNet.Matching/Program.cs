using TradeNet.Matching;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Messaging;

StartFailures.ExplainRefusedSettings();
var builder = WebApplication.CreateBuilder(args);
builder.UseTradeNetEndpoints("http://127.0.0.1:5201", null);
builder.AddServiceDefaults("matching");
builder.AddMatching();
builder.AddTradeNetBus(x => x.AddMatchingConsumers());
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMatching();
app.Run();
