using TradeNet.Standalone;

await StandaloneHost.RunAsync(args);
