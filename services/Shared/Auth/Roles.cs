using System.Security.Claims;

namespace TradeNet.Shared.Auth;

public static class Roles
{
    public const string Town = "town";
    public const string Operator = "operator";
    /// <summary>Another TradeNet service calling over gRPC.</summary>
    public const string Service = "service";
}

public static class Policies
{
    public const string Town = "town";
    public const string Operator = "operator";
    public const string TownOrOperator = "town-or-operator";
    public const string Service = "service";
}

public static class CallerExtensions
{
    /// <summary>The town the caller acts for, or null for operators and services.</summary>
    public static string? TownId(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Town) ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(Roles.Operator);

    /// <summary>Operators and services read every town's records; towns only their own.</summary>
    public static bool SeesEveryTown(this ClaimsPrincipal user) => user.IsOperator() || user.IsInRole(Roles.Service);

    public static string CallerName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
}
