/**
 * Words that tell a person's name from the name of a place, an organisation or a thing. The shape
 * of a value ("one to six words of letters") fits "Livingston Municipal", "Kingston upon Thames"
 * and "chevrolet chevelle malibu" as well as "Jane Doe", so the shape alone only fails to
 * contradict a column's name. A common given name or an honorific is evidence *for* a person; a
 * word that names a kind of place or organisation is evidence *against*.
 *
 * Words are compared in lower case with accents removed ("José" → "jose"; "ø", "ł" and the like
 * do not decompose, so those names are listed as written too).
 */

/**
 * Common given names across many languages (romanised where the script differs). Names that are
 * also everyday English words or large places (Will, May, Grace, Mark, Rose, Jordan, Austin,
 * Georgia, Madison, Lincoln, Jackson) are left out: they would be evidence in too many values
 * that are not people. The list is evidence, not a census: a name missing from it matters only
 * under a column name that merely suggests persons (`name`), where a fifth of the values must
 * hold a listed name (see scanColumnPii.ts).
 */
const GIVEN = `
aaron abby abdul abdullah abel abigail abraham adaeze adam adele adrian adriana adrienne agnes agnieszka ahmad ahmed
ahmet aidan aiden aileen aisha akiko akira alain alan alana albert alberto alejandra alejandro aleksandr alessandra
alessandro alex alexander alexandra alexandre alexei alexey alexis alfonso alfred alfredo ali alice alicia alina
alison alistair allan allison alma amanda amani amara amelia amelie amina amir amira amit amy ana anastasia anders
andre andrea andreas andrei andres andrew andrey andy angela angelica angelo angus anil anita anja anjali ann anna
anne anneke annette annie anthony antoine antonia antonio anya aoife arash archie arjun arnaud arne arnold aroha
arthur arturo arun asha ashley ashok asif astrid aurelie avery axel ayesha ayse aysegul babajide barbara barry bartosz
beatrice beatriz becky belinda ben benedict benjamin bernadette bernard bernd beth bethan betty beverly bianca bilal
billy birgit bjorn bjørn bob bobby bogdan bola boris brad bradley brandon brenda brendan brian bridget brigitte
brittany bruce bruno bryan burak caitlin caleb callum camila camille candice carl carla carlos carmen carol carole
caroline carolyn cassandra catherine cathy cecilia celine cesar chad charles charlie charlotte cheryl chiara chidi
chinedu chioma chloe chris christian christina christine christoph christophe christopher chukwuma cian ciara cindy
claire clara claude claudia clement colin connor conor constance cristian cristina cynthia dafydd daiki daisuke damien
dan daniel daniela danielle danny daria darius darren darryl dave david dawit debbie deborah debra declan deepa deepak
denis denise dennis derek desmond diana diane dieter dimitri dinesh divya dmitri dmitry dolores dominic dominique
donald donna doris dorothy douglas dragan duncan dylan eddie edgar edith edmund eduardo edward edwin eileen elaine
eleanor elena eli elias elif elijah elisa elisabeth elise eliza elizabeth ella ellen ellie eloise elsa emeka emil
emilia emilio emily emine emma emmanuel emre enrique eoin eric erica erik erika erin ernest ernesto esther ethan
eugenia evan evelyn ewa fabian fabio farah farhan fatima fatma federica federico felipe felix fernanda fernando fiona
florian folake francesca francesco francis francisca francisco franck francois françoise frank fred frederic frederick
freya funmilayo gabriel gabriela gabriele gabrielle ganesh gareth gary gavin gemma genevieve geoffrey george gerald
gerard gerhard gianluca gillian gina giorgio giovanni gisela giulia giuseppe gloria goran gordon graham greg gregory
greta guillaume gunter gustav gustavo hamid hamish hamza hana hannah hans harold harriet haruto hassan heather heike
heinz helen helena helene helga helmut henrik henry herbert hiroshi horst howard huda hugh hugo hussain hussein ian
ibrahim ignacio igor imran ines ingrid irene irfan irina isaac isabel isabella isabelle ivan ivana jacob jacqueline
jacques jakub james jamie jan jane janet janice jared jasmine jason javier jayden jean jeanne jeff jeffrey jelena jen
jennifer jenny jens jeremy jerome jess jesse jessica jesus jill jim jimmy jiri joan joanna joanne joao jocelyn joe
joel johan johann johanna john johnny jon jonas jonathan joost jorge jose josef josefa joseph josephine joshua josue
joyce juan judith judy jules julia julian juliana julie juliette julio jun jurgen justin kamau karen karim karin karl
karla katarzyna kate katharina katherine kathleen kathryn katie katrin kayla keiko keith kelly ken kenji kenneth kerry
kerstin kevin khadija khalid kim kimberly klaus kofi krishna kristen krzysztof kurt kwabena kwaku kwame kyle lakshmi
lara larry lars laura lauren laurent lea leah leila lena leo leon leonard leonardo lerato leslie liam lily linda
lindsay lisa liz liza lorena lorenzo lori louis louise luc luca lucas lucia lucy luigi luis luisa lukas lukasz łukasz
luke lydia magdalena magnus mahesh mahmoud maja malcolm małgorzata malgorzata mamadou manfred manon manuel marcel
marco marcos marcus margaret margarita maria mariam mariana marianne marie marilyn marina mario marisol marjorie marko
markus marta martha martin martina marvin mary maryam matt matteo matthew matthias maureen maurice maximilian meera
meg megan megumi mehdi mehmet melanie melissa mia michael michał michal michel michele michelle miguel mike mikhail
milos mohamed mohammad mohammed monica monika monique muhammad murat mustafa nadia nancy naomi natalia natalie natasha
nathalie nathan nathaniel neha neil niamh nicholas nick nicola nicolas nicole niels nigel nikita nikola nikolai nils
nina noah noor nora norma nour oksana olaf olga oliver olivia olivier oluwaseun omar oscar oskar otieno owen pablo
padraig pamela paola patricia patrick paul paula paulina paulo pavel paweł pawel pedro pete peter petr petra philip
philipp philippe phillip pierre pieter pilar piotr pooja priya rachel rafael rahul raj rajesh rakesh ralph ramesh
ramon randy raquel rashid raul ravi raymond rebecca reginald reza rhys ricardo riccardo richard rick rita robert
roberta roberto rodrigo roger rohan roland ronald rosa rosemary ross ruben russell ruth ryan sabine sachiko saeed
salma salvatore sam samantha samir samuel sandra sandrine sanjay saoirse sara sarah sasha satoshi scott seamus sean
sebastian sebastien sergei sergey sergio seth shane shannon sharon shawn sheila shirley shreya sibusiso sigrid silvia
simon simone sinead siobhan sipho sofia sonia sophia sophie søren soren stanley stefan stefano stella steph stephane
stephanie stephen steve steven stuart sunil sunita suresh susan susanne svetlana sylvia sylvie takashi tamara tanya
tariq tatiana ted terence teresa thabo theresa thiago thierry thomas tiago tim timothy tobias tom tomas tomasz tommy
tony tracy trevor tunde tyler ursula uwe valentina valerie vanessa vasily veronica veronique victor victoria vijay
vikram viktor vincent vladimir walid walter wanjiru wayne wei wendy werner wilhelm william willie wolfgang xavier
yasmin yasmine yekaterina yetunde yoko yolanda yoshiko youssef yuki yulia yuri yusuf yves zainab zanele zeynep zoe zoë
zoran
`;

/** Titles that only people have. "Dr" is left out: it is also "Drive" in street names. */
const HONORIFICS = "mr mrs ms miss mx mme mlle herr frau sr sra srta prof sir dame";

/**
 * Words that name a kind of place or organisation, or join the words of a title ("Salaries and
 * Expenses", "University of Leeds"). Surnames that are also such words and common as surnames
 * (Park, Hall, Hill, Church, Ford, West) are left out, so a person called Park is still a person.
 */
const NOT_PERSON = `
aerodrome afb agency airbase airfield airpark airport airstrip arpt fld rgnl association authority bank base board borough
bureau center centre clinic club co college commission committee company corp corporation council county cty department
dept district federal field foundation fund gmbh group heliport holdings hospital inc incorporated industries institute
intl international laboratory lab library llc llp ltd ministry municipal municipality muni museum national office parish
plc program programme province railroad regional school services society spb station systems technologies township trust
university
and of for upon
city town village island islands lake river creek valley mountain mount mt beach harbor harbour springs falls canyon
san santa saint st ste fort ft
`;

const toSet = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter((w) => w.length > 0));

export const GIVEN_NAMES = toSet(GIVEN);
export const PERSON_TITLES = toSet(HONORIFICS);
export const NOT_PERSON_WORDS = toSet(NOT_PERSON);
