using NetLab.Protocols.Addressing;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Tests.Frames;

namespace NetLab.Protocols.Tests.Ethernet;

public class EthernetHeaderTests
{
    public static TheoryData<string, string, ushort, int?> Headers => new()
    {
        { "02:00:00:00:00:01", "02:00:00:00:00:02", 0x0800, null },
        { "ff:ff:ff:ff:ff:ff", "00:11:22:33:44:55", 0x0806, null },
        { "33:33:00:00:00:01", "52:54:00:12:34:56", 0x86DD, 0x0000 },
        { "01:00:5e:00:00:fb", "52:54:00:12:34:56", 0x0800, 0xE00A },
        { "02:00:00:00:00:01", "02:00:00:00:00:02", 0x0800, 0xFFFF },
        { "01:80:c2:00:00:00", "02:00:00:00:00:02", 0x0026, null },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void TryWrite_ThenTryRead_RoundTrips(string destination, string source, ushort etherType, int? vlanTci)
    {
        var header = new EthernetHeader
        {
            Destination = MacAddress.Parse(destination),
            Source = MacAddress.Parse(source),
            EtherType = (EtherType)etherType,
            VlanTci = (ushort?)vlanTci,
        };
        var buffer = new byte[32];

        Assert.True(header.TryWrite(buffer, out int written));
        Assert.True(EthernetHeader.TryRead(buffer, out var read, out int bytesRead));

        Assert.Equal(vlanTci is null ? 14 : 18, written);
        Assert.Equal(written, bytesRead);
        Assert.Equal(header.Length, read.Length);
        Assert.Equal(header.Destination, read.Destination);
        Assert.Equal(header.Source, read.Source);
        Assert.Equal(header.EtherType, read.EtherType);
        Assert.Equal(header.VlanTci, read.VlanTci);
    }

    [Fact]
    public void TryRead_CapturedTcpFrame_ReadsAddressesAndType()
    {
        Assert.True(EthernetHeader.TryRead(SampleFrames.TcpSyn, out var header, out int bytesRead));

        Assert.Equal(14, bytesRead);
        Assert.Equal(MacAddress.Parse("00:11:22:33:44:66"), header.Destination);
        Assert.Equal(MacAddress.Parse("00:11:22:33:44:55"), header.Source);
        Assert.Equal(EtherType.IPv4, header.EtherType);
        Assert.Null(header.VlanTci);
        Assert.Null(header.VlanId);
        Assert.False(header.IsLengthField);
    }

    [Fact]
    public void TryRead_TaggedFrame_ReadsTciAndInnerType()
    {
        // 802.1Q: TPID 0x8100, TCI = PCP 5, DEI 0, VID 100 (0xA064), then the inner EtherType ARP.
        byte[] frame = SampleFrames.Hex("ffffffffffff 020000000002 8100 a064 0806");

        Assert.True(EthernetHeader.TryRead(frame, out var header, out int bytesRead));

        Assert.Equal(18, bytesRead);
        Assert.Equal((ushort)0xA064, header.VlanTci);
        Assert.Equal(100, header.VlanId);
        Assert.Equal(5, header.VlanPriority);
        Assert.Equal(EtherType.Arp, header.EtherType);
        Assert.True(header.Destination.IsBroadcast);
    }

    [Fact]
    public void TryRead_Ieee8023LengthField_IsFlagged()
    {
        // An STP BPDU frame: 802.3 with a length of 0x0026 and LLC after it.
        byte[] frame = SampleFrames.Hex("0180c2000000 020000000002 0026 424203");

        Assert.True(EthernetHeader.TryRead(frame, out var header, out _));

        Assert.True(header.IsLengthField);
        Assert.True(header.Destination.IsMulticast);
    }

    [Fact]
    public void TryRead_TruncatedHeader_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(SampleFrames.TcpSyn, 14, static s => EthernetHeader.TryRead(s, out _, out _));

    [Fact]
    public void TryRead_TruncatedVlanTag_Fails() =>
        Truncation.AssertEveryShorterPrefixFails(SampleFrames.Hex("ffffffffffff 020000000002 8100 a064 0806"), 18,
            static s => EthernetHeader.TryRead(s, out _, out _));

    [Theory]
    [InlineData(null, 13)]
    [InlineData(7, 17)]
    public void TryWrite_ShortBuffer_FailsAndWritesNothing(int? vlanTci, int bufferLength)
    {
        var header = new EthernetHeader { Destination = MacAddress.Broadcast, EtherType = EtherType.IPv4, VlanTci = (ushort?)vlanTci };
        var buffer = new byte[bufferLength];

        Assert.False(header.TryWrite(buffer, out int written));
        Assert.Equal(0, written);
        Assert.All(buffer, b => Assert.Equal(0, b));
    }
}
