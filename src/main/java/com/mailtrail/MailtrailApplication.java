package com.mailtrail;

import com.mailtrail.cli.Commands;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class MailtrailApplication {

    public static void main(String[] args) {
        // convert/generate are plain command-line tools: they must not start a web server or open a database.
        if (Commands.isCommand(args)) {
            System.exit(Commands.run(args));
        }
        SpringApplication.run(MailtrailApplication.class, args);
    }
}
