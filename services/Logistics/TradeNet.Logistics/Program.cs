using TradeNet.Logistics;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Messaging;

StartFailures.ExplainRefusedSettings();
var builder = WebApplication.CreateBuilder(args);
builder.UseTradeNetEndpoints("http://127.0.0.1:5301", "http://127.0.0.1:5302");
builder.AddServiceDefaults("logistics");
builder.AddLogistics();
builder.AddTradeNetBus(x => x.AddLogisticsConsumers());
var app = builder.Build();
app.MapDefaultEndpoints();
app.MapLogistics();
app.Run();

// Lets WebApplicationFactory<Program> find this entry point from the tests.
public partial class Program;
