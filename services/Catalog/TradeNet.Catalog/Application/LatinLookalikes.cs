using System.Text;

namespace TradeNet.Catalog.Application;

/// <summary>Characters that look like a Latin letter or digit on screen but are another code point: fullwidth forms,
/// small capitals, the long s, mathematical letters, and the Cyrillic and Greek letters whose shape is a Latin one. A
/// suspended town registering again as "Ｓaint-…", "Sᴀint-…", "St-Juſt-…" or with a Cyrillic "а" would otherwise pass
/// for a new name. The services run with invariant globalization (no NFKC), so the table is written out; it covers what
/// reads as the same name in a town list, not every confusable Unicode lists.</summary>
internal static class LatinLookalikes
{
    /// <summary>The Latin lower-case letter or digit <paramref name="r"/> (already lower case) looks like, or itself.</summary>
    public static Rune Fold(Rune r)
    {
        var c = r.Value;
        // Fullwidth ASCII: the same characters, 0xFEE0 further on.
        if (c is >= 0xFF01 and <= 0xFF5E) return Rune.ToLowerInvariant(new Rune(c - 0xFEE0));
        // Mathematical alphanumerics: styles of A–Z then a–z, 52 each (the few holes are reserved), then digits by tens.
        if (c is >= 0x1D400 and <= 0x1D6A3) return new Rune('a' + (c - 0x1D400) % 52 % 26);
        if (c is >= 0x1D7CE and <= 0x1D7FF) return new Rune('0' + (c - 0x1D7CE) % 10);
        var at = r.IsBmp ? Shapes.IndexOf((char)c, StringComparison.Ordinal) : -1;
        return at >= 0 ? new Rune(Latin[at]) : r;
    }

    // Lower case only: names are lowered before folding (upper-case Cyrillic and Greek lower to these).
    private const string Shapes = "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢſıȷ" + "аеёорсухкмнтвіїјѕԁһԛԝ" + "αβεζηικμνορτυχ";
    private const string Latin = "abcdefghijklmnoprstuvwyzsij" + "aeeopcyxkmhtbiijsdhqw" + "abezhikmnoptyx";
}
