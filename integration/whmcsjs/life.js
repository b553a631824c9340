// A whole order life through hostflow's WHMCS-compatible API, driven by the unmodified npm
// package whmcs-js (pinned in package-lock.json). It prints every answer as one JSON object;
// integration/whmcs_test.go checks them against what WHMCS would answer.
const { Authentication, Clients, Orders, Billing, Services, Domains } = require('whmcs-js')

const config = { serverUrl: process.env.WHMCS_URL, identifier: process.env.WHMCS_IDENTIFIER, secret: process.env.WHMCS_SECRET }
const productID = Number(process.env.PRODUCT_ID)
const clients = new Clients(config)
const orders = new Orders(config)
const billing = new Billing(config)
const services = new Services(config)
const domains = new Domains(config)
const authentication = new Authentication(config)

async function main () {
  const out = {}
  const email = `life-${Date.now()}@example.com`
  out.addClient = await clients.addClient({ firstname: 'Grace', lastname: 'Hopper', email, address1: '1 Navy Way',
    city: 'Arlington', state: 'VA', postcode: '22201', country: 'US', phonenumber: '+1.7035550100', password2: 'Grace-Hopper-1906',
    noemail: true })
  const clientid = out.addClient.clientid
  out.validateLogin = await authentication.validateLogin({ email, password2: 'Grace-Hopper-1906' })
  out.validateLoginWrong = await authentication.validateLogin({ email, password2: 'Grace-Hopper-1907' })
  out.getClients = await clients.getClients({ search: email })
  out.getClientsDetails = await clients.getClientsDetails({ clientid })
  out.getProducts = await orders.getProducts({ pid: productID })

  const place = (domain) => orders.addOrder({ clientid, paymentmethod: 'banktransfer', 'pid[0]': productID,
    'domain[0]': domain, 'billingcycle[0]': 'monthly', 'domaintype[0]': 'register', 'regperiod[0]': 1,
    nameserver1: 'ns1.example.net', nameserver2: 'ns2.example.net', noemail: true, clientip: '203.0.113.9' })
  out.addOrderA = await place('life-a.com')
  out.addOrderB = await place('life-b.com')
  out.addOrderC = await place('life-c.com')
  const [a, b, c] = [out.addOrderA.orderid, out.addOrderB.orderid, out.addOrderC.orderid]

  out.getOrdersPending = await orders.getOrders({ userid: clientid, status: 'Pending' })
  out.getInvoiceA = await billing.getInvoice({ invoiceid: out.addOrderA.invoiceid })
  const payment = { invoiceid: out.addOrderA.invoiceid, transid: 'life-bank-1', gateway: 'banktransfer', date: '2026-11-27 10:00:00' }
  out.addInvoicePayment = await billing.addInvoicePayment(payment)
  out.addInvoicePaymentAgain = await billing.addInvoicePayment(payment)
  out.getInvoicesPaid = await billing.getInvoices({ userid: clientid, status: 'Paid' })

  out.acceptOrder = await orders.acceptOrder({ orderid: a, autosetup: true, sendemail: false })
  out.getOrderA = await orders.getOrders({ id: a })
  out.cancelOrder = await orders.cancelOrder({ orderid: b })
  out.fraudOrder = await orders.fraudOrder({ orderid: c })
  out.pendingOrder = await orders.pendingOrder({ orderid: c })
  out.deleteOrder = await orders.deleteOrder({ orderid: b })
  out.getOrderB = await orders.getOrders({ id: b })
  out.orderFraudCheck = await orders.orderFraudCheck({ orderid: c })
  out.getOrderStatuses = await orders.getOrderStatuses()

  const serviceid = Number(out.addOrderA.serviceids.split(',')[0])
  out.moduleSuspend = await services.moduleSuspend({ serviceid, suspendreason: 'Abuse report' })
  out.moduleUnsuspend = await services.moduleUnsuspend({ serviceid })
  out.moduleTerminate = await services.moduleTerminate({ serviceid })
  out.suspendTerminated = await services.moduleSuspend({ serviceid })

  // Order C is Pending again: set it up by hand, item by item.
  const serviceC = Number(out.addOrderC.serviceids.split(',')[0])
  const domainC = Number(out.addOrderC.domainids.split(',')[0])
  out.moduleCreateC = await services.moduleCreate({ serviceid: serviceC })
  out.domainRegisterC = await domains.domainRegister({ domainid: domainC })
  out.domainTransferC = await domains.domainTransfer({ domainid: domainC, eppcode: 'EPP-123' })
  out.getOrderC = await orders.getOrders({ id: c })

  // What WHMCS refuses.
  out.cancelActive = await orders.cancelOrder({ orderid: a })
  out.deletePending = await orders.deleteOrder({ orderid: c })
  out.acceptMissing = await orders.acceptOrder({})
  out.addOrderNoItems = await orders.addOrder({ clientid, paymentmethod: 'banktransfer' })
  out.addOrderNoClient = await orders.addOrder({ clientid: 999999999, paymentmethod: 'banktransfer', 'pid[0]': productID })
  out.unknownAction = await orders.callApi({ action: 'NoSuchCommand' })
  out.badSecret = await new Orders({ ...config, secret: 'wrong' }).getOrders({})
  console.log(JSON.stringify(out))
}

main().catch((err) => { console.error(err); process.exit(1) })
