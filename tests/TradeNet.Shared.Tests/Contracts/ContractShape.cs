using System.Reflection;
using Google.Protobuf.Reflection;
using TradeNet.Contracts.Grpc;
using TradeNet.Shared.Storage;

namespace TradeNet.Shared.Tests.Contracts;

/// <summary>The wire shape of the contracts as text, one line a record, proto message, enum or service, for
/// <see cref="ContractShapeTests"/> to compare with the shape checked in.</summary>
public static class ContractShape
{
    public static IReadOnlyList<Type> Records() =>
        [.. typeof(OutboxMessage).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "TradeNet.Contracts" && t.GetMethod("<Clone>$") is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>An event is a record no other contract record carries (ListingSnapshot, TradeLeg … are parts).</summary>
    public static bool IsEvent(Type record) =>
        !Records().SelectMany(r => r.GetProperties()).Any(p => p.PropertyType == record || p.PropertyType.GetElementType() == record);

    public static IEnumerable<string> Lines()
    {
        foreach (var record in Records())
            yield return $"{(IsEvent(record) ? "event" : "part")} {record.Name}({Parameters(record)})";
        foreach (var file in new[] { CatalogReflection.Descriptor, LogisticsReflection.Descriptor })
        {
            foreach (var service in file.Services)
                foreach (var method in service.Methods)
                    yield return $"rpc {service.FullName}.{method.Name}({method.InputType.Name}) returns {method.OutputType.Name}";
            foreach (var message in file.MessageTypes)
                yield return $"message {message.FullName} {{ {string.Join("; ", message.Fields.InFieldNumberOrder().Select(Field))} }}";
            foreach (var e in file.EnumTypes)
                yield return $"enum {e.FullName} {{ {string.Join("; ", e.Values.Select(v => $"{v.Name} = {v.Number}"))} }}";
        }
    }

    /// <summary>The primary constructor's parameters, each with its type as the wire sees it.</summary>
    public static string Parameters(Type record)
    {
        var nullability = new NullabilityInfoContext();
        var ctor = record.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return string.Join(", ", ctor.GetParameters().Select(p =>
            $"{p.Name}: {Name(nullability.Create(p))}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));
    }

    private static string Field(FieldDescriptor f) =>
        $"{(f.IsRepeated ? "repeated " : "")}{f.FieldType switch
        {
            FieldType.Message => f.MessageType.FullName,
            FieldType.Enum => f.EnumType.FullName,
            var t => t.ToString().ToLowerInvariant(),
        }} {f.Name} = {f.FieldNumber}";

    private static string Name(NullabilityInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        var name = type.IsArray ? Name(info.ElementType!) + "[]" : type.Name switch
        {
            "String" => "string", "Int32" => "int", "Int64" => "long", "Double" => "double", "Boolean" => "bool",
            var n => n,
        };
        // A generic type's arguments are its wire shape too: List<string> to List<int> is a retyping, not the same "List`1".
        if (type.IsGenericType)
            name = $"{name[..name.IndexOf('`')]}<{string.Join(", ", info.GenericTypeArguments.Select(Name))}>";
        return info.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }
}
