using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Dns;
using NetLab.Protocols.Text;

namespace NetLab.Protocols.Tests.Text;

public class EnumNamesTests
{
    private static void AssertNamesAsEnumToString<TEnum>(int maxValue)
        where TEnum : struct, Enum
    {
        var defined = Enum.GetValues<TEnum>().ToHashSet();
        for (int raw = 0; raw <= maxValue; raw++)
        {
            var value = (TEnum)Enum.ToObject(typeof(TEnum), raw);
            bool found = EnumNames<TEnum>.TryGet(value, out string name);
            Assert.Equal(defined.Contains(value), found);
            Assert.Equal(found ? value.ToString() : null, name);
        }
    }

    [Fact]
    public void ByteEnum_EveryValue_NamedAsEnumToString_OrNotFound() => AssertNamesAsEnumToString<DhcpMessageType>(byte.MaxValue);

    [Fact]
    public void UshortEnums_EveryValue_NamedAsEnumToString_OrNotFound()
    {
        AssertNamesAsEnumToString<DnsRecordType>(ushort.MaxValue);
        AssertNamesAsEnumToString<DnsResponseCode>(ushort.MaxValue);
    }

    private enum Wide : uint
    {
        Big = 70_000,
    }

    [Fact]
    public void EnumWiderThanTwoBytes_IsRefused() =>
        Assert.IsType<NotSupportedException>(Assert.Throws<TypeInitializationException>(() => EnumNames<Wide>.TryGet(Wide.Big, out _)).InnerException);
}
