<?php
// An order's life through hostflow's WHMCS API, written the way WHMCS's developer
// documentation shows an integration calling it (developers.whmcs.com/api/sample-code/): a curl
// POST of form fields built with http_build_query, the answer json_decode'd, `result` checked.
// Run by integration/whmcs_php_test.go with HOSTFLOW_URL, HOSTFLOW_IDENTIFIER, HOSTFLOW_SECRET,
// HOSTFLOW_PID and HOSTFLOW_PROMO in the environment. Exits non-zero on any unexpected answer.

$url = getenv('HOSTFLOW_URL') . '/includes/api.php';
$pid = getenv('HOSTFLOW_PID');
$promo = getenv('HOSTFLOW_PROMO');

function whmcs($action, $fields = array())
{
    global $url;
    $ch = curl_init();
    curl_setopt($ch, CURLOPT_URL, $url);
    curl_setopt($ch, CURLOPT_POST, 1);
    curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query(array_merge(array(
        'action' => $action,
        'username' => getenv('HOSTFLOW_IDENTIFIER'),
        'password' => getenv('HOSTFLOW_SECRET'),
        'responsetype' => 'json',
    ), $fields)));
    curl_setopt($ch, CURLOPT_RETURNTRANSFER, 1);
    $response = curl_exec($ch);
    if (curl_error($ch)) {
        fail($action . ': curl: ' . curl_error($ch));
    }
    $status = curl_getinfo($ch, CURLINFO_HTTP_CODE);
    curl_close($ch);
    if ($status != 200) {
        fail($action . ': HTTP ' . $status . ': ' . $response);
    }
    $results = json_decode($response, true);
    if (!is_array($results)) {
        fail($action . ': not JSON: ' . $response);
    }
    return $results;
}

// ok calls an action that must succeed.
function ok($action, $fields = array())
{
    $results = whmcs($action, $fields);
    if ($results['result'] != 'success') {
        fail($action . ': ' . $results['message']);
    }
    return $results;
}

// refused calls an action that must fail with message.
function refused($action, $fields, $message)
{
    $results = whmcs($action, $fields);
    if ($results['result'] != 'error' || $results['message'] != $message) {
        fail($action . ': expected the error "' . $message . '", got ' . json_encode($results));
    }
}

function expect($what, $want, $got)
{
    if ($want !== $got) {
        fail($what . ': expected ' . var_export($want, true) . ', got ' . var_export($got, true));
    }
}

function fail($message)
{
    fwrite(STDERR, "FAIL " . $message . "\n");
    exit(1);
}

function step($message)
{
    echo $message . "\n";
}

$client = ok('AddClient', array(
    'firstname' => 'Grace',
    'lastname' => 'Hopper',
    'email' => 'grace-' . getmypid() . '@example.com',
    'address1' => '1 Harbour Road',
    'city' => 'London',
    'state' => 'London',
    'postcode' => 'N1 1AA',
    'country' => 'GB',
    'phonenumber' => '02079460000',
    'password2' => 'Cl13nt-Passw0rd',
));
$clientid = $client['clientid'];
step("client $clientid");

$methods = ok('GetPaymentMethods');
$currencies = ok('GetCurrencies');
expect('a currency', true, count($currencies['currencies']['currency']) > 0);

$order = ok('AddOrder', array(
    'clientid' => $clientid,
    'paymentmethod' => 'banktransfer',
    'pid' => array($pid),
    'domain' => array('hopper-site.com'),
    'billingcycle' => array('monthly'),
    'domaintype' => array('register'),
    'regperiod' => array(1),
    'nameserver1' => 'ns1.hopper.example',
    'nameserver2' => 'ns2.hopper.example',
));
$orderid = $order['orderid'];
$serviceid = $order['serviceids'];
$domainid = $order['domainids'];
expect('orderid is a string, as in WHMCS\'s example', true, is_string($orderid));
step("order $orderid, service $serviceid, domain $domainid, invoice " . $order['invoiceid']);

$invoice = ok('GetInvoice', array('invoiceid' => $order['invoiceid']));
expect('invoice total', '26.99', $invoice['total']);
ok('AddInvoicePayment', array(
    'invoiceid' => $order['invoiceid'],
    'transid' => 'php-' . getmypid(),
    'gateway' => 'banktransfer',
    'date' => date('Y-m-d H:i:s'),
));
$invoice = ok('GetInvoice', array('invoiceid' => $order['invoiceid']));
expect('invoice status', 'Paid', $invoice['status']);

// Payment sets the hosting up and registers the domain; the order waits for review.
for ($i = 0; $i < 200; $i++) {
    $domains = ok('GetClientsDomains', array('clientid' => $clientid));
    $products = ok('GetClientsProducts', array('clientid' => $clientid));
    if ($domains['domains']['domain'][0]['status'] == 'Active' && $products['products']['product'][0]['status'] == 'Active') {
        break;
    }
    usleep(100000);
}
expect('domain status', 'Active', $domains['domains']['domain'][0]['status']);
expect('service status', 'Active', $products['products']['product'][0]['status']);

ok('AcceptOrder', array('orderid' => $orderid));
$orders = ok('GetOrders', array('id' => $orderid));
expect('order status', 'Active', $orders['orders']['order'][0]['status']);
expect('order paymentstatus', 'Paid', $orders['orders']['order'][0]['paymentstatus']);
refused('AcceptOrder', array('orderid' => $orderid), 'Order ID not found or Status not Pending');
step("order $orderid accepted");

ok('UpdateClientProduct', array('serviceid' => $serviceid, 'status' => 'Suspended', 'suspendreason' => 'Overdue'));
$products = ok('GetClientsProducts', array('serviceid' => $serviceid));
expect('suspended', 'Suspended', $products['products']['product'][0]['status']);
$updated = ok('UpdateClientProduct', array('serviceid' => $serviceid, 'status' => 'Active', 'notes' => 'Paid by phone',
    'nextduedate' => '2031-05-01'));
expect('serviceid echoed', $serviceid, $updated['serviceid']);
$products = ok('GetClientsProducts', array('serviceid' => $serviceid));
expect('unsuspended', 'Active', $products['products']['product'][0]['status']);
expect('notes', 'Paid by phone', $products['products']['product'][0]['notes']);
expect('next due date', '2031-05-01', $products['products']['product'][0]['nextduedate']);
refused('UpdateClientProduct', array('serviceid' => 999999), 'Service ID Not Found');
step("service $serviceid suspended, unsuspended, noted");

$ns = ok('DomainGetNameservers', array('domainid' => $domainid));
expect('ns1 from the order', 'ns1.hopper.example', $ns['ns1']);
ok('DomainUpdateNameservers', array('domainid' => $domainid, 'ns1' => 'ns1.elsewhere.example', 'ns2' => 'ns2.elsewhere.example'));
$ns = ok('DomainGetNameservers', array('domainid' => $domainid));
expect('ns1 updated', 'ns1.elsewhere.example', $ns['ns1']);
expect('ns2 updated', 'ns2.elsewhere.example', $ns['ns2']);
refused('DomainUpdateNameservers', array('domainid' => $domainid, 'ns1' => 'ns1.elsewhere.example'), 'ns1 and ns2 required');
ok('UpdateClientDomain', array('domainid' => $domainid, 'idprotection' => 1, 'notes' => 'Renews yearly'));
ok('DomainRenew', array('domainid' => $domainid, 'regperiod' => 1));
$domains = ok('GetClientsDomains', array('domainid' => $domainid));
expect('id protection', '1', $domains['domains']['domain'][0]['idprotection']);
expect('expiry date set by the renewal', true, $domains['domains']['domain'][0]['expirydate'] > date('Y-m-d', strtotime('+1 year')));
step("domain $domainid nameservers changed and renewed");

$promotions = ok('GetPromotions', array('code' => $promo));
expect('one promotion', 1, $promotions['totalresults']);
$second = ok('AddOrder', array(
    'clientid' => $clientid,
    'paymentmethod' => 'banktransfer',
    'pid' => array($pid),
    'domain' => array('hopper-second.com'),
    'billingcycle' => array('monthly'),
    'promocode' => $promo,
));
$invoice = ok('GetInvoice', array('invoiceid' => $second['invoiceid']));
expect('discounted total', '13.49', $invoice['total']);
$promotions = ok('GetPromotions', array('code' => $promo));
expect('uses', 1, $promotions['promotions']['promotion'][0]['uses']);
refused('AddOrder', array('clientid' => $clientid, 'paymentmethod' => 'banktransfer', 'pid' => array($pid), 'promocode' => 'NO-SUCH'),
    'The promotion code entered does not exist');
ok('CancelOrder', array('orderid' => $second['orderid']));
step('promotion applied');

echo "ok\n";
