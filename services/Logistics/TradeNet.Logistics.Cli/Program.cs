using TradeNet.Logistics.Cli;

// solve-vrp --instance FILE [--time-limit SECONDS] [--out FILE]; see CliApp for the exit codes.
return CliApp.Run(args, Console.Out, Console.Error);
