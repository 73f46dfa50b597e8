package com.checkoutroutes.operations;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts {@link RouteEditGuard} in front of Camel's live route reload (camel.main.routes-reload-*): an edit that passes
 * is reloaded by Camel as usual; one that does not is logged and refused before Camel removes any running route.
 * Should an edit pass the checks and still fail when Camel builds the routes (an unknown endpoint option, say), the
 * last version that loaded is loaded again, so the file's routes are back after a moment instead of gone. A reload
 * and the application's stop never overlap: Camel's stop walks its routes while a reload removes and adds them
 * (a ConcurrentModificationException, and an ERROR instead of a clean shutdown, when a save and Ctrl-C met).
 */
@Component
public class GuardedRouteReload implements CamelContextConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedRouteReload.class);

    /** The last content of each route file that Camel loaded, by location. */
    private final Map<String, Resource> lastLoaded = new ConcurrentHashMap<>();
    /** When each file's running version was loaded. */
    private final Map<String, OffsetDateTime> loadedAt = new ConcurrentHashMap<>();
    /** Each file's last refused or failed edit. */
    private final Map<String, Problem> lastProblem = new ConcurrentHashMap<>();
    /** The files on disk as refused for what other files held: checked again when another file loads or goes. */
    private final Set<String> waitingForOthers = ConcurrentHashMap.newKeySet();
    /** The route configurations declared elsewhere than in a route file (Java), as Camel started. */
    private final Set<String> outside = ConcurrentHashMap.newKeySet();
    /** How long a deleted route file may take to come back (a save that replaces it) before its routes stop. */
    static final long DELETE_SETTLES_MILLIS = 1000;
    /** How long a changed file must stay the same before it is checked (a save still writing it). */
    static final long SAVE_SETTLES_MILLIS = 300;
    /** Held while a route file is reloaded; the application's close waits for it. */
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile boolean closing;
    /** How long the close waits for a reload under way: Camel's own bound for stopping routes. */
    private volatile long reloadWaitSeconds = 30;
    private final Clock clock;

    public GuardedRouteReload(Clock clock) {
        this.clock = clock;
    }

    /** An edit that did not become the running version: REFUSED by the checks, or FAILED when Camel loaded it. */
    public record Problem(OffsetDateTime at, String kind, String reason) {
    }

    /**
     * A route file as this instance runs it: the version running (the first 12 hex digits of its SHA-256), since
     * when, whether the file on disk still holds it, and its last refused or failed edit (null if none).
     */
    public record RouteFile(String location, String runningVersion, OffsetDateTime loadedAt, String diskVersion,
            Problem lastProblem) {

        public boolean diskDiffers() {
            return diskVersion != null && !diskVersion.equals(runningVersion);
        }
    }

    /** Every route file this instance loaded, by location. */
    public List<RouteFile> routeFiles() {
        return lastLoaded.entrySet().stream()
                .map(e -> new RouteFile(e.getKey(), version(e.getValue()), loadedAt.get(e.getKey()),
                        diskVersion(e.getValue()), lastProblem.get(e.getKey())))
                .sorted(Comparator.comparing(RouteFile::location)).toList();
    }

    /**
     * Start-up stops when a route names a route configuration that none declares: Camel ignores the name, and the
     * routes would run without their error handling (a refused edit's file, left on disk, is read at the next start).
     * Camel has built its model from the route files by now (with its include and exclude patterns), routes and
     * configurations from Java too. Camel itself refuses two files declaring one route id.
     */
    @Override
    public void beforeApplicationStart(CamelContext camel) {
        if (!(camel instanceof org.apache.camel.model.ModelCamelContext model)) {
            return;
        }
        Set<String> declared = configurationIds(model);
        Map<org.apache.camel.model.RouteDefinition, Boolean> routes = new java.util.LinkedHashMap<>();
        // a route made from a template has its placeholders resolved by Camel, a template's are its parameters
        model.getRouteDefinitions().forEach(route -> routes.put(route, route.getTemplateParameters() != null));
        model.getRouteTemplateDefinitions().forEach(template -> routes.put(template.getRoute(), true));
        routes.forEach((route, ofTemplate) -> {
            String names = route.getRouteConfigurationId();
            for (String used : names == null ? List.<String>of() : RouteFileIds.namesIn(names, ofTemplate)) {
                if (!RouteFileIds.names(used, declared)) {
                    throw new IllegalStateException("route " + route.getRouteId() + (route.getResource() == null ? ""
                            : " of " + route.getResource().getLocation()) + " names routeConfigurationId "
                            + RouteFileIds.shown(used) + ", which no route file declares: its routes would run without"
                            + " their error handling. Fix the name, or declare the route configuration");
                }
            }
        });
    }

    /** The ids of the route configurations in Camel's model (one without an id applies to every route). */
    private static Set<String> configurationIds(org.apache.camel.model.ModelCamelContext model) {
        Set<String> ids = new java.util.HashSet<>();
        model.getRouteConfigurationDefinitions().stream().map(c -> c.getId()).filter(java.util.Objects::nonNull)
                .forEach(ids::add);
        return ids;
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        RouteEditGuard snapshots = new RouteEditGuard(camel, () -> null);
        List<Resource> sources = new java.util.ArrayList<>();
        camel.getRoutes().forEach(route -> sources.add(route.getSourceResource()));
        // routes made from a template (routes/schedules.yaml) name no file; their template does
        if (camel instanceof org.apache.camel.model.ModelCamelContext model) {
            model.getRouteTemplateDefinitions().forEach(template -> sources.add(template.getResource()));
        }
        for (Resource source : sources) {
            if (source != null && source.exists()) {
                lastLoaded.computeIfAbsent(source.getLocation(), location -> {
                    loadedAt.put(location, OffsetDateTime.now(clock));
                    return snapshots.snapshot(source);
                });
            }
        }
        RouteWatcherReloadStrategy watcher = camel.hasService(RouteWatcherReloadStrategy.class);
        if (watcher == null) {
            return; // reload is off
        }
        trackRouteConfigurationFiles(camel, snapshots, watcher.getFolder());
        // declared in Java, not in a route file: a route file may name them too
        if (camel instanceof org.apache.camel.model.ModelCamelContext model) {
            outside.addAll(configurationIds(model));
            lastLoaded.values().forEach(file -> outside.removeAll(RouteFileIds.of(text(file)).configurations()));
        }
        // the schema takes seconds of CPU to build: off the start-up path, ready long before an operator's first edit
        CompletableFuture<RouteSchema> schema = CompletableFuture.supplyAsync(RouteSchema::load,
                runnable -> {
                    Thread thread = new Thread(runnable, "route-schema");
                    thread.setDaemon(true);
                    thread.start();
                });
        RouteEditGuard guard = new RouteEditGuard(camel, schema::join);
        ShutdownStrategy shutdown = camel.getShutdownStrategy();
        reloadWaitSeconds = shutdown.getTimeUnit().toSeconds(shutdown.getTimeout());
        ResourceReload reload = watcher.getResourceReload();
        watcher.setResourceReload((name, resource) -> {
            reloading.lock(); // the close holds it only for a moment, once a reload under way has ended
            try {
                if (closing || camel.isStopping() || camel.isStopped()) {
                    LOG.info("route file {} changed while the application stops: not reloaded", name);
                    return;
                }
                reloadChecked(camel, guard, reload, name, resource);
            } finally {
                reloading.unlock();
            }
        });
        LOG.info("route edits in {} are checked before they are reloaded", watcher.getFolder());
    }

    /**
     * A file of route configurations only (routes/error-handling.yaml) names no route or template, and Camel's YAML
     * DSL keeps no file on a route configuration: its running version is read from the watched folder at start-up,
     * under the location the watcher gives it, so that a later edit is compared with it (and undone to it).
     */
    private void trackRouteConfigurationFiles(CamelContext camel, RouteEditGuard snapshots, String folder) {
        try (java.util.stream.Stream<Path> files = Files.list(Path.of(folder))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                String location = "file:" + (folder.endsWith("/") ? folder : folder + "/") + file.getFileName();
                if (lastLoaded.containsKey(location)
                        || RouteConfigurationIds.declaredIn(Files.readString(file)).isEmpty()) {
                    continue;
                }
                Resource resource = PluginHelper.getResourceLoader(camel)
                        .resolveResource(location);
                lastLoaded.put(location, snapshots.snapshot(resource));
                loadedAt.put(location, OffsetDateTime.now(clock));
            }
        } catch (Exception e) {
            LOG.warn("route configurations in {} not tracked: an edit of them reloads no route using them ({})",
                    folder, e.toString());
        }
    }

    /**
     * The application closes: a reload under way finishes first (Camel's graceful stop of a file's routes takes a few
     * seconds, at most camel.main.shutdown-timeout), and none starts after it. Runs before Camel stops (a lifecycle
     * bean, stopped after this event). The management port's context closes too: a second call changes nothing.
     */
    @EventListener(ContextClosedEvent.class)
    public void stopReloading() throws InterruptedException {
        closing = true;
        if (reloading.tryLock(reloadWaitSeconds, TimeUnit.SECONDS)) {
            reloading.unlock();
        } else {
            LOG.warn("a route file is still being reloaded after {} s; the application stops anyway",
                    reloadWaitSeconds);
        }
    }

    /**
     * One changed file: checked, then loaded. A check that fails leaves the running version; a load that fails
     * loads the last good version again.
     */
    private void reloadChecked(CamelContext camel, RouteEditGuard guard, ResourceReload reload, String name,
            Resource resource) throws Exception {
        if (resource != null && !resource.exists() && lastLoaded.containsKey(resource.getLocation())
                && !TemplatedRouteFiles.declaresTemplates(lastLoaded.get(resource.getLocation()))) {
            // a save that replaces the file (git checkout, an editor's rename) deletes it for a moment: its own
            // event loads the new version, and its routes are not stopped meanwhile
            Thread.sleep(DELETE_SETTLES_MILLIS);
            if (resource.exists()) {
                return;
            }
            try {
                // as an edit to nothing: the route configurations other files name run on (Camel keeps them) until a
                // restart, which then stops
                Resource deleted = new CheckedRouteFile(resource, new byte[0]);
                guard.checkAgainst(deleted, text(lastLoaded.get(resource.getLocation())),
                        othersThan(resource.getLocation()), Set.copyOf(outside));
            } catch (RouteEditGuard.RefusedRouteEditException e) {
                String problem = e.getMessage().substring(resource.getLocation().length() + 1);
                LOG.error("route file {} deleted, but it {}: they keep it until a restart, which then stops; put the"
                        + " file back", resource.getLocation(), problem);
            }
            // Camel's reload loads nothing for a deleted file and leaves its routes running
            removeRoutesOf(camel, resource.getLocation(), Set.of(), "its file was deleted");
            lastLoaded.remove(resource.getLocation());
            loadedAt.remove(resource.getLocation());
            checkRefusedAgain(camel, guard, reload); // an edit that moved its routes to another file, say
            return;
        }
        if (name.endsWith(".properties") || resource == null || !resource.exists()) {
            reload.onReload(name, resource); // a settings file, or a deleted file of templates: Camel as usual
            return;
        }
        if (!settled(resource)) {
            return; // deleted or moved away while it was saved: its own event follows
        }
        if (closing) {
            LOG.info("route file {} changed while the application stops: not reloaded", name);
            return;
        }
        Resource checked = null;
        try {
            checked = guard.check(resource);
            Resource running = lastLoaded.get(checked.getLocation());
            guard.checkAgainst(checked, running == null ? "" : text(running), othersThan(checked.getLocation()),
                    Set.copyOf(outside));
        } catch (RouteEditGuard.RefusedRouteEditException e) {
            if (checked != null) {
                waitingForOthers.add(resource.getLocation()); // its own content passed
            } else {
                waitingForOthers.remove(resource.getLocation());
            }
            if (e.empty()) {
                LOG.warn("route file {} is empty (being saved?): not loaded, the last good version is still"
                        + " running", resource.getLocation());
                throw e;
            }
            if (lastLoaded.containsKey(resource.getLocation())) {
                LOG.error("route edit refused: {}. The last good version of {} is still running; the file on disk is"
                        + " broken until it is fixed and saved again", e.getMessage(), resource.getLocation());
            } else {
                LOG.error("route edit refused: {}. Nothing of {} runs until it is fixed and saved again",
                        e.getMessage(), resource.getLocation());
            }
            lastProblem.put(resource.getLocation(), new Problem(OffsetDateTime.now(clock), "REFUSED",
                    e.getMessage()));
            throw e;
        }
        Resource previous = lastLoaded.get(checked.getLocation());
        if (previous != null && java.util.Arrays.equals(content(previous), content(checked))
                && allRunning(camel, checked)) {
            // an editor's save comes as several events (vim, git checkout: a create and a modify), and a broken edit
            // fixed back to the running version: a reload would stop and restart the same routes (an order lane's
            // consumers leave and rejoin their group) for nothing
            waitingForOthers.remove(checked.getLocation());
            LOG.info("route file {} saved as the version running ({}): not reloaded", checked.getLocation(),
                    version(checked));
            checkRefusedAgain(camel, guard, reload);
            return;
        }
        try {
            load(camel, reload, name, checked);
            // the routes built with a changed route configuration take it only when they are built again
            reloadUsersOf(camel, reload, previous, checked);
            lastLoaded.put(checked.getLocation(), checked);
            loadedAt.put(checked.getLocation(), OffsetDateTime.now(clock));
            waitingForOthers.remove(checked.getLocation());
        } catch (Exception e) {
            waitingForOthers.remove(checked.getLocation());
            failed(camel, reload, name, checked, previous, e);
            throw e;
        }
        checkRefusedAgain(camel, guard, reload);
    }

    /** True while {@link #checkRefusedAgain} runs: the loads it makes do not start another round. */
    private boolean checkingAgain;

    /**
     * An edit refused for what another file held (a route moved from one file to another, the new file saved first; a
     * configuration a file names, declared in the other file saved next) is checked again once another file loads or
     * goes: waiting for its own next save, it stayed off while the other file's routes went. Each file still on disk as
     * refused is checked again, until a round loads none of them.
     */
    private void checkRefusedAgain(CamelContext camel, RouteEditGuard guard, ResourceReload reload) {
        if (checkingAgain) {
            return;
        }
        checkingAgain = true;
        try {
            boolean loadedOne = true;
            while (loadedOne) {
                loadedOne = false;
                for (String location : List.copyOf(waitingForOthers)) {
                    Resource file = PluginHelper.getResourceLoader(camel).resolveResource(location);
                    if (file == null || !file.exists()) {
                        waitingForOthers.remove(location);
                        continue;
                    }
                    LOG.info("route file {}, refused before, checked again now that another file loaded", location);
                    try {
                        reloadChecked(camel, guard, reload, location, file);
                        loadedOne |= !waitingForOthers.contains(location) && lastLoaded.containsKey(location);
                    } catch (Exception e) {
                        // refused or failed again: logged and recorded as at its own save
                    }
                }
            }
        } finally {
            checkingAgain = false;
        }
    }

    /** An edit that passed the checks and failed to load: the last good version back, and what it rebuilt. */
    private void failed(CamelContext camel, ResourceReload reload, String name, Resource checked, Resource previous,
            Exception e) throws Exception {
        lastProblem.put(checked.getLocation(), new Problem(OffsetDateTime.now(clock), "FAILED",
                "failed to load: " + e.getMessage()));
        restore(camel, reload, name, checked, e);
        if (previous != null && !RouteConfigurationIds.declaredIn(text(checked)).isEmpty()) {
            // the files whose routes were rebuilt, or removed and not rebuilt, with the edit: as they ran
            reloadUsersOf(camel, reload, checked, previous);
        }
    }

    /**
     * Waits until a changed file's save is over, and says whether it is still there. The watcher reports a file
     * written in pieces (a large one, or an editor that writes in place) while it is written: read half-written it
     * was refused (an ERROR for a good edit) or, cut where the YAML still parsed, loaded without its later routes,
     * which were then stopped. So the file is read until two reads {@code SAVE_SETTLES_MILLIS} apart agree (at most
     * five); one deleted meanwhile is left to its own event (read as nothing, it was refused as unreadable).
     */
    private static boolean settled(Resource resource) throws InterruptedException {
        byte[] seen = content(resource);
        for (int read = 1; read < 5 && seen != null; read++) {
            Thread.sleep(SAVE_SETTLES_MILLIS);
            byte[] now = content(resource);
            if (java.util.Arrays.equals(now, seen)) {
                break;
            }
            seen = now;
        }
        return seen != null && resource.exists();
    }

    /**
     * Camel puts a reloaded route configuration (routes/error-handling.yaml) in place of the old one but leaves the
     * routes built with it as they were: an edit of what is retried or dead-lettered reached no running route until
     * their own file was saved or the application restarted. So the files whose routes name a configuration the edit
     * changed are loaded again, each as it runs now; the first that fails to build with it fails the edit, which is
     * then undone (the configurations and those files loaded again as they were).
     */
    private void reloadUsersOf(CamelContext camel, ResourceReload reload, Resource before, Resource after)
            throws Exception {
        java.util.Set<String> changed = RouteConfigurationIds.changed(before == null ? "" : text(before), text(after));
        if (changed.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Resource> file : new java.util.TreeMap<>(lastLoaded).entrySet()) {
            if (file.getKey().equals(after.getLocation())
                    || !RouteConfigurationIds.usesAny(text(file.getValue()), changed)) {
                continue;
            }
            LOG.info("route configurations {} of {} changed: reloading {}, whose routes use them", changed,
                    after.getLocation(), file.getKey());
            load(camel, reload, file.getKey(), file.getValue());
        }
    }

    /** The other route files' content as they run, by location. */
    private Map<String, String> othersThan(String location) {
        Map<String, String> others = new java.util.TreeMap<>();
        lastLoaded.forEach((other, file) -> {
            if (!other.equals(location)) {
                others.put(other, text(file));
            }
        });
        return others;
    }

    private static String text(Resource file) {
        byte[] content = content(file);
        return content == null ? "" : new String(content, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String version(Resource file) {
        byte[] content = content(file);
        return content == null ? null : hash(content);
    }

    /** The resource's bytes; null if it cannot be read. */
    private static byte[] content(Resource file) {
        try (InputStream in = file.getInputStream()) {
            return in.readAllBytes();
        } catch (Exception e) {
            return null;
        }
    }

    /** The version of the file on disk now; null if it cannot be read (deleted, not a plain file). */
    private static String diskVersion(Resource running) {
        try {
            return hash(Files.readAllBytes(Path.of(running.getURI())));
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Whether every route the file declares runs: a file of templates is always loaded again (its routes carry no
     * source), and so is one whose routes a failed restore or an operator left stopped.
     */
    private static boolean allRunning(CamelContext camel, Resource file) {
        if (TemplatedRouteFiles.declaresTemplates(file)) {
            return false;
        }
        return TemplatedRouteFiles.routeIds(file).stream().allMatch(id ->
                camel.getRouteController().getRouteStatus(id) == org.apache.camel.ServiceStatus.Started);
    }

    /**
     * A new file that failed to load, as if it declared nothing: the routes of it Camel started (one by one, before
     * the one that failed) are stopped and removed, and Camel's reload ends with the file empty. Camel keeps the files
     * of a failed reload and loads them again with every later reload, of any file: each would then fail with this
     * file's error, and be rolled back.
     */
    private static void forget(CamelContext camel, ResourceReload reload, String name, Resource failed) {
        try {
            removeRoutesOf(camel, failed.getLocation(), Set.of(), "its file failed to load");
            byte[] nothing = "[]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            reload.onReload(name, new CheckedRouteFile(failed, nothing));
        } catch (Exception e) {
            LOG.warn("route file {} failed to load, and what of it started could not be removed: {}",
                    failed.getLocation(), e.toString());
        }
    }

    private static String hash(byte[] content) {
        return DigestUtils.sha256Hex(content).substring(0, 12);
    }

    /**
     * Camel's reload, or for a file with route templates (which Camel's reload skips) the whole file again. Camel
     * replaces only the routes the new version declares: a route the edit removed or renamed kept running (a renamed
     * Kafka consumer beside the new one, a removed HTTP door still open), so those are removed first.
     */
    private void load(CamelContext camel, ResourceReload reload, String name, Resource file) throws Exception {
        if (TemplatedRouteFiles.declaresTemplates(file)) {
            TemplatedRouteFiles.reload(camel, file, lastLoaded.get(file.getLocation()));
            LOG.info("route file {} reloaded with its route templates", file.getLocation());
        } else {
            removeRoutesOf(camel, file.getLocation(), TemplatedRouteFiles.routeIds(file), "the version loaded now "
                    + "does not declare it");
            reload.onReload(name, file);
        }
    }

    /** Stops and removes the running routes loaded from {@code location} whose id is not in {@code kept}. */
    private static void removeRoutesOf(CamelContext camel, String location, Set<String> kept, String why)
            throws Exception {
        for (Route route : List.copyOf(camel.getRoutes())) {
            if (route.getSourceResource() != null && location.equals(route.getSourceResource().getLocation())
                    && !kept.contains(route.getRouteId())) {
                camel.getRouteController().stopRoute(route.getRouteId());
                camel.removeRoute(route.getRouteId());
                LOG.warn("route {} of {} stopped and removed: {}", route.getRouteId(), location, why);
            }
        }
    }

    private void restore(CamelContext camel, ResourceReload reload, String name, Resource failed, Exception failure)
            throws Exception {
        String location = failed.getLocation();
        Resource previous = lastLoaded.get(location);
        if (previous == null) {
            if (!TemplatedRouteFiles.declaresTemplates(failed)) {
                forget(camel, reload, name, failed);
            }
            LOG.error("route edit of {} failed to load ({}); there is no earlier version to go back to, so its routes"
                    + " are not running; the file on disk is broken until it is fixed and saved again",
                    location, failure.getMessage());
            return;
        }
        LOG.error("route edit of {} failed to load ({}); loading the last good version again", location,
                failure.getMessage());
        load(camel, reload, name, previous);
        LOG.warn("route file {} restored to the version that last loaded: the last good version is running; the file"
                + " on disk is broken until it is fixed and saved again", location);
    }
}
