using Microsoft.AspNetCore.Http.HttpResults;
using TradeNet.Shared.Hosting;

namespace TradeNet.Matching.Api;

/// <summary>Reads a town or listing id given as a query filter (<c>?town=</c>, <c>?listing=</c>). Unlike <c>?status=</c>, a
/// blank value is refused rather than read as "no filter": an operator scripting <c>?town=$TOWN</c> with the variable unset
/// would otherwise get every trade, and these lists are read to act on (cancel a suspended town's trades). An id that
/// names nothing is not an error, only an empty list: matching does not know every town or listing catalog does.</summary>
internal static class QueryIds
{
    /// <summary>Longer than any id catalog hands out (an INSEE code, <c>town-</c> and 12 hex digits, 32 hex digits),
    /// and the bound logistics puts on a town id.</summary>
    public const int MaxLength = 200;

    public static bool TryRead(string? text, string field, out string? id, out ValidationProblem? problem)
    {
        id = null;
        problem = null;
        if (text is null) return true;
        var trimmed = text.Trim();
        var error = trimmed switch
        {
            "" => "must not be blank; leave it out for no filter",
            _ when trimmed.Length > MaxLength => $"must be at most {MaxLength} characters",
            _ when TextRules.HasUnsafeCharacters(trimmed) => "must not contain control characters",
            _ => null,
        };
        if (error is not null)
        {
            problem = Problems.Field(field, error);
            return false;
        }
        id = trimmed;
        return true;
    }
}
