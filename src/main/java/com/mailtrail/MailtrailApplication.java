package com.mailtrail;

import com.mailtrail.cli.Commands;
import com.mailtrail.ingest.ImportCommand;
import com.mailtrail.store.H2Tuning;
import com.mailtrail.system.StopDuringStart;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class MailtrailApplication {

    public static void main(String[] args) {
        H2Tuning.apply();
        // convert/generate are plain command-line tools: they must not start a web server or open a database.
        if (Commands.isCommand(args)) {
            System.exit(Commands.run(args));
        }
        if (args.length > 0 && args[0].equals("import")) {
            // import needs the database but not the web server
            System.exit(ImportCommand.run(MailtrailApplication.class, java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        try {
            StopDuringStart.application(MailtrailApplication.class).run(args);
        } catch (StopDuringStart.Stopped stopped) {
            // logged where the start ended; the JVM is already on its way out
        }
    }
}
