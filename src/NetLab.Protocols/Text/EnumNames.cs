using System.Runtime.CompilerServices;

namespace NetLab.Protocols.Text;

/// <summary>The names of an enum's defined values, made once: decoders name a type, code or operation for every
/// packet, and <c>Enum.ToString</c> boxes and looks the name up each time. For one- and two-byte enums (protocol
/// codes) only: the names sit in an array indexed by value, which costs a program nothing to start, where a
/// dictionary keyed by each enum had the JIT compile some forty generic methods per enum at the first packet.</summary>
public static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly string?[] Names = Build();

    private static string?[] Build()
    {
        if (Unsafe.SizeOf<TEnum>() > sizeof(ushort))
        {
            throw new NotSupportedException($"{typeof(TEnum).Name} is wider than two bytes; EnumNames indexes names by value");
        }
        var values = Enum.GetValuesAsUnderlyingType(typeof(TEnum));
        int max = 0;
        foreach (object value in values)
        {
            max = Math.Max(max, Convert.ToInt32(value, null));
        }
        var names = new string?[max + 1];
        foreach (object value in values)
        {
            // For a value with several names (an alias), the one Enum.ToString gives.
            names[Convert.ToInt32(value, null)] = Enum.GetName(typeof(TEnum), value);
        }
        return names;
    }

    /// <summary>False for a value the enum does not define.</summary>
    public static bool TryGet(TEnum value, out string name)
    {
        int index = Unsafe.SizeOf<TEnum>() == 1 ? Unsafe.As<TEnum, byte>(ref value) : Unsafe.As<TEnum, ushort>(ref value);
        name = index < Names.Length ? Names[index]! : null!;
        return name is not null;
    }
}
