namespace NetLab.Protocols.Text;

/// <summary>The names of an enum's defined values, made once: decoders name a type, code or operation for every
/// packet, and <c>Enum.ToString</c> boxes and looks the name up each time.</summary>
public static class EnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().Distinct().ToDictionary(v => v, v => v.ToString());

    /// <summary>False for a value the enum does not define.</summary>
    public static bool TryGet(TEnum value, out string name) => Names.TryGetValue(value, out name!);
}
