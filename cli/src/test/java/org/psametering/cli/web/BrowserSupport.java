package org.psametering.cli.web;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the distribution's packages ({@code chromium}, {@code chromium-driver}), driven by Selenium.
 * A test that cannot find them fails, because CI must run it; {@code -Dpsa.browser.skip=true} skips it instead, for a
 * local run on a machine without Chromium. Nothing is downloaded: the binaries are given, so Selenium Manager is not
 * asked, and the browser starts with its background networking off (the test machines have no internet).
 */
final class BrowserSupport {
    static final String SKIP_PROPERTY = "psa.browser.skip";
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private BrowserSupport() {
    }

    /** A fresh headless Chromium with its own profile directory under {@code dir}. */
    static ChromeDriver start(Path dir) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean(SKIP_PROPERTY), "browser tests skipped with -D" + SKIP_PROPERTY + "=true");
        String browser = find("psa.chromium", BROWSERS).orElse(null);
        String driver = find("psa.chromedriver", DRIVERS).orElse(null);
        if (browser == null || driver == null) {
            fail("headless Chromium is needed for the browser tests but " + (browser == null ? "no chromium binary " + BROWSERS : "no chromedriver "
                    + DRIVERS) + " was found. Install it (Debian/Ubuntu: apt-get install chromium chromium-driver; .ci/run does), point "
                    + "-Dpsa.chromium=/path and -Dpsa.chromedriver=/path at it, or skip these tests locally with -D" + SKIP_PROPERTY + "=true");
        }
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver)).usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return chrome;
    }

    private static Optional<String> find(String property, List<String> candidates) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured).filter(p -> Files.isExecutable(Path.of(p)));
        }
        return candidates.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }
}
