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
}
