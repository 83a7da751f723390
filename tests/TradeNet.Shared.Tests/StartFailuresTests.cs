using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Hosting;

namespace TradeNet.Shared.Tests;

/// <summary>The line a host that refuses its settings ends on (StartFailures.ExplainRefusedSettings).</summary>
public sealed class StartFailuresTests
{
    private sealed class First { public int Value { get; set; } }

    private sealed class Second { public int Value { get; set; } }

    /// <summary>Settings of two options types refused at once reach the entry point as an AggregateException: the process
    /// aborted (134) with a stack dump, as before the refused-setting exit, instead of exit 2 and the reasons.</summary>
    [Fact]
    public async Task Settings_of_two_options_types_refused_at_once_end_the_start_with_both_reasons_on_one_line()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOptions<First>().Validate(_ => false, "First:Value is refused.").ValidateOnStart();
        builder.Services.AddOptions<Second>().Validate(_ => false, "Second:Value is refused.").ValidateOnStart();
        using var host = builder.Build();

        var failure = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.Equal("TradeNet cannot start: First:Value is refused. Second:Value is refused.", StartFailures.Reason(failure));
    }

    [Fact]
    public void One_refused_setting_is_its_reason_and_any_other_failure_is_none_of_its_business()
    {
        var refused = new OptionsValidationException("x", typeof(First), ["Storage:Backups:Keep must be 0."]);

        Assert.Equal("TradeNet cannot start: Storage:Backups:Keep must be 0.", StartFailures.Reason(refused));
        Assert.Null(StartFailures.Reason(new InvalidOperationException("boom")));
        Assert.Null(StartFailures.Reason(new AggregateException(refused, new InvalidOperationException("boom"))));
    }

    /// <summary>A setting that is not of its type (a period written <c>banana</c>, a count written <c>two</c>) is refused by
    /// the configuration binder, which the entry point met as an unhandled exception: the process aborted (134) with a stack
    /// dump of the binder (seen Dec 2026 with <c>Storage__Backups__Every=banana</c> on the standalone host).</summary>
    [Fact]
    public void A_setting_that_is_not_of_its_type_is_its_reason_naming_the_setting_and_the_value()
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Backups:Every"] = "banana" }).Build();

        var failure = Record.Exception(() => config.GetSection(TradeNet.Shared.Storage.StorageOptions.Section)
            .Get<TradeNet.Shared.Storage.StorageOptions>());

        Assert.Equal("TradeNet cannot start: Failed to convert configuration value 'banana' at 'Storage:Backups:Every' to type "
            + "'System.TimeSpan'.", StartFailures.Reason(failure));
    }

    /// <summary>The same met while the host starts (an options type bound and checked at start).</summary>
    [Fact]
    public async Task A_setting_not_of_its_type_met_while_the_host_starts_is_its_reason()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["First:Value"] = "two" });
        builder.Services.AddOptions<First>().Bind(builder.Configuration.GetSection("First")).ValidateOnStart();
        using var host = builder.Build();

        var failure = await Record.ExceptionAsync(() => host.StartAsync());

        Assert.Equal("TradeNet cannot start: Failed to convert configuration value 'two' at 'First:Value' to type 'System.Int32'.",
            StartFailures.Reason(failure));
        // Any other InvalidOperationException is still none of its business.
        Assert.Null(StartFailures.Reason(new InvalidOperationException("boom", new FormatException("inner"))));
    }

    /// <summary>The extra metrics receiver's address is read by the OTLP exporter only as the host starts, where a value
    /// that is not an address (<c>TradeNet__Telemetry__ExtraMetricsEndpoint=banana</c>) threw Uri's format error: an abort
    /// (134) with the exporter's stack, seen Dec 2026 on catalog's own host.</summary>
    [Fact]
    public async Task An_extra_metrics_endpoint_that_is_not_an_http_address_is_its_reason_naming_the_setting()
    {
        var failure = await Record.ExceptionAsync(async () =>
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryExtensions.ExtraMetricsEndpointKey] = "banana" });
            builder.AddTradeNetTelemetry("catalog");
            using var host = builder.Build();
            await host.StartAsync();
            await host.StopAsync();
        });

        Assert.Equal("TradeNet cannot start: TradeNet:Telemetry:ExtraMetricsEndpoint 'banana' is not an http:// or https:// "
            + "address (an OTLP/HTTP metrics receiver, such as http://127.0.0.1:4318/v1/metrics).", StartFailures.Reason(failure));
    }

    /// <summary>The OTLP exporter reads OTEL_EXPORTER_OTLP_ENDPOINT as the host starts, and one that is no http(s) address
    /// (a scheme left out: <c>otel-collector:4317</c>) it drops without a word for its default, localhost:4317: the host
    /// started and exported nothing anyone received.</summary>
    [Theory]
    [InlineData("banana")]
    [InlineData("otel-collector:4317")]
    public async Task An_otlp_endpoint_that_is_not_an_http_address_is_its_reason_naming_the_setting(string endpoint)
    {
        var failure = await Record.ExceptionAsync(async () =>
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint });
            builder.AddTradeNetTelemetry("catalog");
            using var host = builder.Build();
            await host.StartAsync();
            await host.StopAsync();
        });

        Assert.Equal($"TradeNet cannot start: OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' is not an http:// or https:// address (an OTLP "
            + "collector, such as http://127.0.0.1:4317).", StartFailures.Reason(failure));
    }

    /// <summary>A log level that is none (<c>Logging__LogLevel__Default=banana</c>) was refused by the logging library as the
    /// first logger was made, "Configuration value 'banana' is not supported.", naming neither the setting nor what it takes:
    /// an abort (134) with the options' stack, seen Dec 2026 on catalog's own host.</summary>
    [Fact]
    public void A_log_level_that_is_none_is_its_reason_naming_each_setting()
    {
        using var settings = new TradeNet.Testing.TestSettings();
        var failure = Record.Exception(() =>
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
            builder.Configuration.AddInMemoryCollection(settings.Configuration());
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "banana", ["Logging:LogLevel:Microsoft"] = "warning",
                ["Logging:Console:LogLevel:TradeNet"] = "Loud",
            });
            builder.AddServiceDefaults("test");
            using var app = builder.Build();
            app.Services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("test");
        });

        Assert.Equal("TradeNet cannot start: Logging:Console:LogLevel:TradeNet 'Loud' is not a log level (Trace, Debug, "
            + "Information, Warning, Error, Critical or None). Logging:LogLevel:Default 'banana' is not a log level (Trace, Debug, "
            + "Information, Warning, Error, Critical or None).", StartFailures.Reason(failure));
    }

    /// <summary>A port another process holds ended the host with Kestrel's stack dump and an abort (134).</summary>
    [Fact]
    public void An_address_another_process_listens_on_is_its_reason_naming_the_address()
    {
        var bind = new IOException("Failed to bind to address http://127.0.0.1:5000: address already in use.",
            new Microsoft.AspNetCore.Connections.AddressInUseException("Address already in use"));

        var reason = StartFailures.Reason(bind);

        Assert.NotNull(reason);
        Assert.StartsWith("TradeNet cannot start: Failed to bind to address http://127.0.0.1:5000: address already in use.", reason);
        Assert.Null(StartFailures.Reason(new IOException("disk full")));
    }
}
