using TradeNet.Gateway;
using TradeNet.Shared.Hosting;

StartFailures.ExplainRefusedSettings();
var builder = WebApplication.CreateBuilder(args);
builder.UseTradeNetEndpoints("http://127.0.0.1:5000", null);
builder.AddServiceDefaults("gateway");
builder.AddGatewayEdge();
var app = builder.Build();
app.MapDefaultEndpoints(headAsGet: false);
app.MapGatewayEdge();
app.Run();
