using System.Text;
using NetLab.Sniffer.Analysis;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Tests;

/// <summary>The text report's tables (<see cref="TextTable"/>) and the choice of their rows (<see cref="Largest"/>).</summary>
public sealed class TextTableTests
{
    private static string[] Render(TextTable table, int pageWidth)
    {
        var output = new StringBuilder();
        table.WriteTo(output, pageWidth);
        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Table_PadsEachColumnToItsWidestCell_WithAsciiBorders()
    {
        var table = new TextTable("Protocol", "Frames");
        table.AddRow("eth", "1000000");
        table.AddRow("  ip", "12");
        Assert.Equal(
        [
            "+--------------------+",
            "| Protocol | Frames  |",
            "|----------+---------|",
            "| eth      | 1000000 |",
            "|   ip     | 12      |",
            "+--------------------+",
        ], Render(table, 160));
    }

    [Fact]
    public void Table_GivesACellOfSeveralLinesAsManyRows()
    {
        var table = new TextTable("Question", "Answers");
        table.AddRow("www.lab.test. A", "www.lab.test. A 10.0.0.1\nwww.lab.test. A 10.0.0.2");
        string[] lines = Render(table, 160);
        Assert.Equal("| www.lab.test. A | www.lab.test. A 10.0.0.1 |", lines[3]);
        Assert.Equal("|                 | www.lab.test. A 10.0.0.2 |", lines[4]);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public void Table_WiderThanThePage_WrapsItsWidestColumnAtSpaces_AndBreaksLongWords()
    {
        var table = new TextTable("Kind", "Message");
        table.AddRow("clear-text-credentials", "FTP password for user 'alice' sent in clear from 192.168.11.2:20001 to 192.168.10.1:21 (PASS ****)");
        table.AddRow("long", new string('x', 50));
        string[] lines = Render(table, 60);
        Assert.All(lines, line => Assert.Equal(60, line.Length));
        // 60 = "| " + 22 + " | " + 31 + " |"
        Assert.Contains("| clear-text-credentials | " + "FTP password for user 'alice'".PadRight(31) + " |", lines);
        Assert.Contains("| long                   | " + new string('x', 31) + " |", lines);
        Assert.Contains("|                        | " + new string('x', 19).PadRight(31) + " |", lines);
        // Every word of the message is still there, in order.
        string message = string.Join(" ", lines.Skip(3).Take(4).Select(l => l.Split('|')[2].Trim()));
        Assert.Equal("FTP password for user 'alice' sent in clear from 192.168.11.2:20001 to 192.168.10.1:21 (PASS ****)", message);
    }

    [Fact]
    public void Table_RefusesARowOfTheWrongWidth()
    {
        var table = new TextTable("A", "B");
        Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(200)]
    [InlineData(1000)]
    public void Largest_IsTheHeadOfAStableSortByDescendingKey(int count)
    {
        var random = new Random(count);
        // Few distinct keys, so many ties whose order must follow the input.
        var items = Enumerable.Range(0, 500).Select(i => (Index: i, Key: (long)random.Next(20))).ToList();
        var expected = items.OrderByDescending(item => item.Key).Take(count).ToList();
        Assert.Equal(expected, Largest.Of(items, count, item => item.Key));
    }
}
