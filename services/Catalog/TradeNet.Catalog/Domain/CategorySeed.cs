namespace TradeNet.Catalog.Domain;

/// <summary>The categories every catalog starts with. Values are credits per unit on one scale
/// (an hour of skilled work ≈ 25 credits, a kilo of organic vegetables 2.5), weights in kg per unit.</summary>
public static class CategorySeed
{
    public static readonly IReadOnlyList<Category> All =
    [
        // Organic produce
        new("organic-vegetables", "Organic vegetables", "produce", Units.Kg, 2.5, 1, true),
        new("organic-fruit", "Organic fruit", "produce", Units.Kg, 3.0, 1, true),
        new("potatoes", "Potatoes", "produce", Units.Kg, 1.2, 1, false),
        new("apples", "Apples", "produce", Units.Kg, 2.0, 1, false),
        new("eggs", "Free-range eggs", "produce", Units.Piece, 0.4, 0.06, true),
        new("honey", "Honey", "produce", Units.Kg, 12, 1, false),
        new("walnuts", "Walnuts", "produce", Units.Kg, 7, 1, false),
        // Dairy
        new("raw-milk", "Raw milk", "dairy", Units.Litre, 1.1, 1.03, true),
        new("cheese", "Farmhouse cheese", "dairy", Units.Kg, 18, 1, true),
        new("butter", "Butter", "dairy", Units.Kg, 11, 1, true),
        new("yogurt", "Yogurt", "dairy", Units.Kg, 4, 1, true),
        // Grain
        new("wheat", "Wheat", "grain", Units.Kg, 0.35, 1, false),
        new("flour", "Stone-ground flour", "grain", Units.Kg, 1.6, 1, false),
        new("bread", "Bread", "grain", Units.Kg, 4.5, 1, false),
        new("lentils", "Green lentils", "grain", Units.Kg, 3.5, 1, false),
        new("oats", "Oats", "grain", Units.Kg, 0.5, 1, false),
        // Meat and drinks
        new("charcuterie", "Charcuterie", "meat", Units.Kg, 22, 1, true),
        new("poultry", "Poultry", "meat", Units.Kg, 9, 1, true),
        new("wine", "Wine", "drinks", Units.Litre, 8, 1.3, false),
        new("cider", "Cider", "drinks", Units.Litre, 3, 1.3, false),
        // Wood and energy
        new("firewood", "Firewood", "wood-energy", Units.Kg, 0.15, 1, false),
        new("wood-pellets", "Wood pellets", "wood-energy", Units.Kg, 0.4, 1, false),
        new("timber", "Sawn timber", "wood-energy", Units.Kg, 0.8, 1, false),
        new("solar-electricity", "Solar electricity", "wood-energy", Units.KWh, 0.2, 0, false),
        new("solar-panels", "Solar panels", "wood-energy", Units.Piece, 180, 20, false),
        // Crafts
        new("pottery", "Pottery", "crafts", Units.Piece, 15, 1.5, false),
        new("wool", "Wool", "crafts", Units.Kg, 10, 1, false),
        new("furniture", "Handmade furniture", "crafts", Units.Piece, 120, 25, false),
        new("soap", "Handmade soap", "crafts", Units.Piece, 4, 0.1, false),
        // Tools
        new("hand-tools", "Hand tools", "tools", Units.Piece, 25, 1.5, false),
        new("bicycles", "Bicycles", "tools", Units.Piece, 150, 15, false),
        // Skills (nothing to ship)
        new("repair-skills", "Repair skills", "skills", Units.Hour, 25, 0, false),
        new("carpentry", "Carpentry", "skills", Units.Hour, 28, 0, false),
        new("tutoring", "Tutoring", "skills", Units.Hour, 20, 0, false),
        new("animal-care", "Animal care", "skills", Units.Hour, 22, 0, false),
    ];
}
