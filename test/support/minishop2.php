<?php
// A MODX with miniShop2 just large enough to run a plugin on msOnChangeOrderStatus as MODX does: the plugin's code
// (from stdin, as README.md shows it) runs as a function body with $modx, $order (an msOrder) and $status in scope.
// Arguments, each JSON: the system settings; the order {order: msOrder's fields, products: [msOrderProduct's fields +
// image], address: msOrderAddress's, profile: modUserProfile's}; the new status id. What the plugin logs goes to
// stdout as `log: …`. Used by test/node/backoffice-e2e.test.ts.

final class modX
{
    const LOG_LEVEL_ERROR = 1;
}

/** An xPDO object: its fields, and the related objects getOne/getMany give. */
final class FakeObject
{
    public function __construct(private array $fields, private array $related = [])
    {
    }

    public function get(string $name)
    {
        return $this->fields[$name] ?? null;
    }

    public function getOne(string $alias)
    {
        return $this->related[$alias] ?? null;
    }

    public function getMany(string $alias): array
    {
        return $this->related[$alias] ?? [];
    }
}

final class FakeModx
{
    public object $event;

    public function __construct(private array $settings)
    {
        $this->event = (object) ['name' => 'msOnChangeOrderStatus'];
    }

    public function getOption(string $key, $options = null, $default = null)
    {
        return $this->settings[$key] ?? $default;
    }

    /** A resource's full URL, as MODX's makeUrl($id, '', '', 'full') gives it. */
    public function makeUrl($id, $context = '', $args = '', $scheme = -1): string
    {
        return rtrim($this->settings['site_url'], '/') . '/catalog/' . $id . '.html';
    }

    public function log($level, string $message): void
    {
        echo "log: {$message}\n";
    }
}

[$settings, $data, $status] = [json_decode($argv[1], true), json_decode($argv[2], true), (int) $argv[3]];
$lines = array_map(
    fn (array $line) => new FakeObject($line, ['Product' => new FakeObject(['image' => $line['image'] ?? null])]),
    $data['products']
);
$order = new FakeObject($data['order'], [
    'Products' => $lines,
    'Address' => new FakeObject($data['address']),
    'UserProfile' => new FakeObject($data['profile']),
]);
$modx = new FakeModx($settings);
$plugin = preg_replace('/^<\?php\s*/', '', stream_get_contents(STDIN));
(function ($modx, $order, $status) use ($plugin) {
    eval($plugin);
})($modx, $order, $status);
echo "done\n";
