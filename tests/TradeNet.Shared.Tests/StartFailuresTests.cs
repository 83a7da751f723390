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
